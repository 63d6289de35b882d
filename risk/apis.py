from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import RiskAssessment
from .serializers import AssessmentSerializer, AssessRiskSerializer
from .services import risk_assess


class AssessRiskApi(APIView):
    @extend_schema(request=AssessRiskSerializer, responses={200: inline_serializer(
        "AssessRiskResponse", {"success": serializers.BooleanField(),
                               "assessment": AssessmentSerializer()})})
    def post(self, request):
        data = AssessRiskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = risk_assess(inputs=data.to_model_inputs(), user=request.user,
                                 source=RiskAssessment.Source.API)
        return Response({"success": True, "assessment": AssessmentSerializer(assessment).data})
