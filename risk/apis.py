from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from communitylend.core.errors import FeatureDisabled

from .models import RiskAssessment
from .serializers import AssessmentSerializer, AssessRiskSerializer
from .services import ml_scoring_enabled, risk_assess


class AssessRiskApi(APIView):
    @extend_schema(request=AssessRiskSerializer, responses={200: inline_serializer(
        "AssessRiskResponse", {"success": serializers.BooleanField(),
                               "assessment": AssessmentSerializer()})})
    def post(self, request):
        if not ml_scoring_enabled():
            raise FeatureDisabled(
                "Machine-learning risk scoring is turned off on this platform "
                "(ENABLE_ML_SCORING); applications are graded by a fallback rule from the "
                "credit score, or by staff")
        data = AssessRiskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = risk_assess(inputs=data.to_model_inputs(), user=request.user,
                                 source=RiskAssessment.Source.API)
        return Response({"success": True, "assessment": AssessmentSerializer(assessment).data})
