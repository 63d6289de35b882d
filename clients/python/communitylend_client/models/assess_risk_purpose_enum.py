from enum import StrEnum


class AssessRiskPurposeEnum(StrEnum):
    BUSINESS = "business"
    CAR = "car"
    CREDIT_CARD = "credit_card"
    DEBT_CONSOLIDATION = "debt_consolidation"
    EDUCATION = "education"
    EDUCATIONAL = "educational"
    HOME_IMPROVEMENT = "home_improvement"
    HOUSE = "house"
    MAJOR_PURCHASE = "major_purchase"
    MEDICAL = "medical"
    MOVING = "moving"
    OTHER = "other"
    RENEWABLE_ENERGY = "renewable_energy"
    SMALL_BUSINESS = "small_business"
    VACATION = "vacation"
    WEDDING = "wedding"

    def __str__(self) -> str:
        return str(self.value)
