from enum import StrEnum


class PurposeEnum(StrEnum):
    BUSINESS = "business"
    CAR = "car"
    CREDIT_CARD = "credit_card"
    DEBT_CONSOLIDATION = "debt_consolidation"
    EDUCATION = "education"
    HOME_IMPROVEMENT = "home_improvement"
    MAJOR_PURCHASE = "major_purchase"
    MEDICAL = "medical"
    OTHER = "other"

    def __str__(self) -> str:
        return str(self.value)
