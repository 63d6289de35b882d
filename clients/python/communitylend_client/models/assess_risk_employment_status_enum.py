from enum import StrEnum


class AssessRiskEmploymentStatusEnum(StrEnum):
    EMPLOYED = "employed"
    RETIRED = "retired"
    SELF_EMPLOYED = "self_employed"
    STUDENT = "student"
    UNEMPLOYED = "unemployed"

    def __str__(self) -> str:
        return str(self.value)
