import json
from pathlib import Path

import pytest
from django.core.management import call_command

from risk.models import ModelVersion, RiskAssessment
from risk.services import RiskModelUnavailable, risk_assess

pytestmark = pytest.mark.django_db

APPLICATION = {"creditScore": 700, "annualIncome": 65000, "loanAmount": 12000, "termMonths": 36,
               "employmentStatus": "employed", "employmentLength": 5,
               "purpose": "debt_consolidation", "debtToIncomeRatio": 18.5,
               "homeOwnership": "rent"}


def test_it_assesses_risk_with_the_original_contract(risk_model, api_as, borrower):
    response = api_as(borrower).post("/api/ml/assess-risk", APPLICATION, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True
    assessment = body["assessment"]
    assert 0 <= assessment["riskScore"] <= 100
    assert assessment["riskGrade"] in "ABCDE"
    assert 0 < assessment["probabilityDefault"] < 1
    assert assessment["modelVersion"] == risk_model.version
    assert isinstance(assessment["recommendedInterestRate"], float)
    assert all(isinstance(f["text"], str) for f in assessment["riskFactors"])
    assert "revolving_utilization" in assessment["imputedFields"]
    record = RiskAssessment.objects.get()
    assert record.user == borrower and record.source == "api"
    assert record.inputs["debt_to_income"] == "18.50"


@pytest.mark.parametrize("change, field", [
    ({"annualIncome": -1}, "annualIncome"),
    ({"termMonths": 48}, "termMonths"),
    ({"purpose": "yacht"}, "purpose"),
    ({"creditScore": 200}, "creditScore"),
    ({"loanAmount": "lots"}, "loanAmount"),
    ({"homeOwnership": "castle"}, "homeOwnership"),
    ({"employmentStatus": "pirate"}, "employmentStatus"),
])
def test_bad_input_is_a_400_naming_the_field(risk_model, api_as, borrower, change, field):
    response = api_as(borrower).post("/api/ml/assess-risk", {**APPLICATION, **change},
                                     format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not RiskAssessment.objects.exists()


def test_missing_optional_fields_are_imputed_not_refused(risk_model, api_as, borrower):
    minimal = {"annualIncome": 40000, "loanAmount": 5000, "termMonths": 12,
               "employmentStatus": "student", "purpose": "education"}
    response = api_as(borrower).post("/api/ml/assess-risk", minimal, format="json")
    assert response.status_code == 200
    assert "debt_to_income" in response.json()["assessment"]["imputedFields"]


def test_a_tampered_artifact_is_a_clear_error_never_a_fallback(risk_model, tmp_path):
    bad = tmp_path / "model.joblib"
    bad.write_bytes(Path(risk_model.artifact_path).read_bytes() + b"tampered")
    ModelVersion.objects.filter(pk=risk_model.pk).update(artifact_path=str(bad))
    risk_model.refresh_from_db()
    with pytest.raises(RiskModelUnavailable, match="cannot be loaded"):
        risk_assess(inputs={"loan_amount": 5000, "term_months": 36, "purpose": "car",
                            "annual_income": 50000})


def test_no_active_model_is_a_clear_error(db):
    with pytest.raises(RiskModelUnavailable, match="train_risk_model"):
        risk_assess(inputs={"loan_amount": 5000, "term_months": 36, "purpose": "car",
                            "annual_income": 50000})


def test_train_risk_model_fast_registers_an_active_version(tmp_path, settings, capsys):
    settings.RISK_ARTIFACT_DIR = tmp_path
    call_command("train_risk_model", "--fast", "--json")
    out = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(out[-1])
    version = ModelVersion.objects.get(is_active=True)
    assert summary["model_version"] == version.version
    assert Path(version.card_path).exists()


def test_staff_see_the_model_card(risk_model, client, staff, tmp_path):
    from risk import ml

    bundle, _, _ = ml.load_bundle(risk_model.artifact_path, risk_model.artifact_sha256), None, None
    card = ml.write_model_card(bundle, tmp_path)
    ModelVersion.objects.filter(pk=risk_model.pk).update(card_path=str(card))
    client.force_login(staff)
    page = client.get(f"/staff/risk/models/{risk_model.pk}/card/")
    assert page.status_code == 200 and b"Model card" in page.content
    assert client.get("/admin/risk/modelversion/").status_code == 200
