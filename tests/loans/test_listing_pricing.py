"""What a listing offers lenders (DESIGN.md, "Pricing"; API.md, "Added with the second wave"):
expectedLossRate and expectedNetReturn on every listing, the expected-return endpoint, and open
listings keeping the floor they were quoted when the pricing changes."""

import dataclasses
from decimal import Decimal

import pytest

from loans import services
from risk import ml
from risk.services import model_version_register
from tests.factories import make_user
from tests.money import fund

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def verified_borrower(risk_model):
    return make_user("vb@example.com", first_name="Vera", verified=True)


@pytest.fixture
def a_lender():
    person = make_user("lena@example.com", first_name="Lena")
    fund(person, "20000")
    return person


def listing(borrower, max_rate="30.00", term=36, amount="5000"):
    return services.loan_apply(borrower=borrower, amount=D(amount), term_months=term,
                               purpose="debt_consolidation", max_rate=D(max_rate))


def test_a_listing_is_priced_from_its_own_pd_and_term(verified_borrower, risk_artifact):
    bundle = risk_artifact[0]
    loan = listing(verified_borrower, term=60)
    pd = float(loan.probability_default)
    assert loan.floor_rate == ml.floor_rate(pd, 60, bundle)
    assert loan.recommended_rate == ml.recommended_rate(pd, 60, bundle)
    assert loan.floor_rate < loan.recommended_rate


def test_every_listing_shows_its_expected_loss_rate_and_net_return(verified_borrower, api_as,
                                                                   risk_artifact, a_lender):
    bundle = risk_artifact[0]
    loan = listing(verified_borrower)
    pd = float(loan.probability_default)
    client = api_as(a_lender)
    detail = client.get(f"/api/loans/{loan.pk}").json()
    listed = next(row for row in client.get("/api/loans").json()["loans"] if row["id"] == loan.pk)
    at_maximum = float(ml.expected_net_return(pd, 36, 30.0, bundle))
    for body in (detail, listed):
        assert body["expectedNetReturn"] == at_maximum
        assert body["expectedLossRate"] == float(ml.expected_loss_rate(pd, 36, 30.0, bundle))
        assert body["expectedLossRate"] > 0

    # once bids cover it, the figure is at the clearing rate
    services.bid_place(lender=a_lender, loan_id=loan.pk, amount=D("5000"),
                       rate=loan.recommended_rate)
    detail = client.get(f"/api/loans/{loan.pk}").json()
    assert detail["clearingRate"] == float(loan.recommended_rate)
    assert detail["expectedNetReturn"] == float(
        ml.expected_net_return(pd, 36, loan.recommended_rate, bundle))
    assert detail["expectedNetReturn"] >= 7.0


def test_the_marketplace_table_shows_each_listings_expected_loss_and_return(
        verified_borrower, client, risk_artifact, a_lender):
    bundle = risk_artifact[0]
    loan = listing(verified_borrower)
    pd = float(loan.probability_default)
    client.force_login(a_lender)
    html = client.get("/marketplace/").content.decode()
    loss = ml.expected_loss_rate(pd, 36, 30.0, bundle)
    net = ml.expected_net_return(pd, 36, 30.0, bundle)
    assert "Exp. loss / return" in html
    assert f"{loss:.2f}%</span> / <strong>{net:.2f}%</strong>" in html


def test_the_expected_return_endpoint_answers_for_the_rate_asked(verified_borrower, api_as,
                                                                 a_lender, risk_artifact):
    loan = listing(verified_borrower)
    client = api_as(a_lender)
    low = client.get(f"/api/loans/{loan.pk}/expected-return?rate={loan.floor_rate}")
    high = client.get(f"/api/loans/{loan.pk}/expected-return?rate=18.5")
    assert low.status_code == high.status_code == 200
    low, high = low.json(), high.json()
    assert low["loanId"] == loan.pk and low["rate"] == float(loan.floor_rate)
    assert 4.0 <= low["expectedNetReturn"] < high["expectedNetReturn"]
    assert high["expectedNetReturn"] == float(ml.expected_net_return(
        float(loan.probability_default), 36, 18.5, risk_artifact[0]))
    assert low["floorRate"] == float(loan.floor_rate)


@pytest.mark.parametrize("query", ["", "?rate=", "?rate=-1", "?rate=100.01", "?rate=abc",
                                   "?rate=1e400", "?rate=7.12345"])
def test_a_bad_rate_is_a_400_naming_the_field(verified_borrower, api_as, a_lender, query):
    loan = listing(verified_borrower)
    response = api_as(a_lender).get(f"/api/loans/{loan.pk}/expected-return{query}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["success"] is False and body["field"] == "rate"


def test_someone_elses_private_loan_is_not_found(api_as, a_lender):
    assert api_as(a_lender).get("/api/loans/999999/expected-return?rate=8").status_code == 404


def test_open_listings_keep_the_floor_they_were_quoted(verified_borrower, risk_artifact,
                                                       tmp_path, a_lender, api_as):
    bundle = risk_artifact[0]
    quoted = listing(verified_borrower)
    old_floor = quoted.floor_rate

    # a new model version whose pricing asks for more (a higher funding cost)
    dearer = dataclasses.replace(
        bundle, version=f"{bundle.version}-dearer",
        pricing=dataclasses.replace(bundle.pricing, funding_cost=6.0))
    path = tmp_path / "dearer.joblib"
    model_version_register(bundle=dearer, artifact_path=path,
                           artifact_sha256=ml.save_bundle(dearer, path))

    fresh = listing(verified_borrower)
    quoted.refresh_from_db()
    assert quoted.floor_rate == old_floor
    assert fresh.floor_rate > old_floor
    assert api_as(a_lender).get(f"/api/loans/{quoted.pk}").json()["floorRate"] == float(old_floor)
    # a bid at the quoted floor still stands on the old listing, and is refused on the new one
    services.bid_place(lender=a_lender, loan_id=quoted.pk, amount=D("100"), rate=old_floor)
    with pytest.raises(services.BidRejected):
        services.bid_place(lender=a_lender, loan_id=fresh.pk, amount=D("100"), rate=old_floor)


def test_the_listing_page_shows_the_expected_figures_and_the_bid_form_asks_live(
        verified_borrower, a_lender, client):
    loan = listing(verified_borrower)
    client.force_login(a_lender)
    page = client.get(f"/loans/{loan.pk}/").content.decode()
    assert 'data-testid="expected-net-return"' in page and "% a year" in page
    assert f'hx-get="/loans/{loan.pk}/expected-return/"' in page
    assert 'id="expected-return"' in page and "<script>" not in page
    fragment = client.get(f"/loans/{loan.pk}/expected-return/?rate=12.5")
    assert fragment.status_code == 200
    assert "At 12.50% you can expect" in fragment.content.decode()
    bad = client.get(f"/loans/{loan.pk}/expected-return/?rate=abc")
    assert bad.status_code == 200 and "Enter a rate" in bad.content.decode()
