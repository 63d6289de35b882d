from enum import StrEnum


class EventsEnum(StrEnum):
    BID_OUTBID = "bid.outbid"
    BID_WON = "bid.won"
    LOAN_FUNDED = "loan.funded"
    NOTE_CHARGED_OFF = "note.charged_off"
    NOTE_PAYMENT_RECEIVED = "note.payment_received"
    ORDER_FILLED = "order.filled"

    def __str__(self) -> str:
        return str(self.value)
