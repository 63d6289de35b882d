from enum import StrEnum


class DocumentTypeEnum(StrEnum):
    GOVERNMENT_ID = "government_id"
    OTHER = "other"
    PROOF_OF_ADDRESS = "proof_of_address"
    PROOF_OF_INCOME = "proof_of_income"

    def __str__(self) -> str:
        return str(self.value)
