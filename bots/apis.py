from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from communitylend.core.errors import NotFound

from . import selectors, services
from .models import AutoInvestRule
from .serializers import AutoInvestRuleInputSerializer, AutoInvestRuleSerializer

RuleResponse = inline_serializer("AutoInvestRuleResponse", {
    "success": serializers.BooleanField(), "rule": AutoInvestRuleSerializer()})


class AutoInvestRuleListApi(APIView):
    @extend_schema(responses={200: inline_serializer(
        "AutoInvestRuleList", {
            "success": serializers.BooleanField(),
            "rules": AutoInvestRuleSerializer(many=True)})})
    def get(self, request):
        return Response({"success": True, "rules": AutoInvestRuleSerializer(
            selectors.rules_of(request.user), many=True).data})

    @extend_schema(request=AutoInvestRuleInputSerializer, responses={201: RuleResponse})
    def post(self, request):
        data = AutoInvestRuleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rule = services.auto_invest_rule_create(user=request.user, data=dict(data.validated_data))
        return Response({"success": True, "rule": AutoInvestRuleSerializer(rule).data},
                        status=status.HTTP_201_CREATED)


def _own_rule(request, rule_id: int) -> AutoInvestRule:
    rule = AutoInvestRule.objects.filter(pk=rule_id, user=request.user).first()
    if rule is None:  # someone else's rule is as good as missing
        raise NotFound("Auto-invest rule not found")
    return rule


class AutoInvestRuleDetailApi(APIView):
    @extend_schema(responses={200: RuleResponse})
    def get(self, request, rule_id: int):
        return Response({"success": True,
                         "rule": AutoInvestRuleSerializer(_own_rule(request, rule_id)).data})

    @extend_schema(request=AutoInvestRuleInputSerializer, responses={200: RuleResponse})
    def patch(self, request, rule_id: int):
        _own_rule(request, rule_id)
        data = AutoInvestRuleInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        rule = services.auto_invest_rule_update(user=request.user, rule_id=rule_id,
                                                data=dict(data.validated_data))
        return Response({"success": True, "rule": AutoInvestRuleSerializer(rule).data})

    @extend_schema(request=None, responses={200: inline_serializer(
        "AutoInvestRuleDeleted", {"success": serializers.BooleanField()})})
    def delete(self, request, rule_id: int):
        services.auto_invest_rule_delete(user=request.user, rule_id=rule_id)
        return Response({"success": True})
