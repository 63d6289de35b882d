"""CommunityLend's credit-risk engine: pure Python (no Django), trained on LendingClub 2007-2011.

See MODEL_CARD.md (written by ``write_model_card``) for the data, the features, the metrics and
the pricing rule. A ``Bundle`` is read-only once trained, so one loaded bundle can be shared by
every thread of a process.
"""

from .artifact import load_bundle, save_bundle
from .card import write_model_card
from .data import DEFAULT_DATA_PATH, load_loans
from .model import Bundle, ModelArtifactError, backtest_pricing, fit_only, train_and_evaluate
from .pricing import (
    DEFAULT_PRICING,
    GRADES,
    Pricing,
    TermCashFlows,
    expected_loss_rate,
    expected_net_return,
    floor_rate,
    grade_floor_rate,
    grade_probability_default,
    grade_rate_table,
    grade_recommended_rate,
    loss_share,
    pd_for_term,
    pooled_irr,
    recommended_rate,
)
from .schema import (
    EMPLOYMENT_STATUSES,
    HOME_OWNERSHIPS,
    PURPOSES,
    TERMS,
    ApplicantInput,
    InputError,
    validate_input,
)
from .scoring import Assessment, assess, assess_many

__all__ = [
    "DEFAULT_DATA_PATH", "DEFAULT_PRICING", "EMPLOYMENT_STATUSES", "GRADES", "HOME_OWNERSHIPS",
    "PURPOSES", "TERMS", "ApplicantInput", "Assessment", "Bundle", "InputError",
    "ModelArtifactError", "Pricing", "TermCashFlows", "assess", "assess_many",
    "backtest_pricing", "expected_loss_rate", "expected_net_return", "fit_only", "floor_rate",
    "loss_share", "pooled_irr",
    "grade_floor_rate", "grade_probability_default", "grade_rate_table",
    "grade_recommended_rate", "load_bundle", "load_loans",
    "pd_for_term", "recommended_rate", "save_bundle", "train_and_evaluate", "validate_input",
    "write_model_card",
]
