"""Contains all the data models used in inputs/outputs"""

from .accept_request import AcceptRequest
from .address import Address
from .address_request import AddressRequest
from .agreement import Agreement
from .agreement_terms import AgreementTerms
from .agreement_terms_schedule_item import AgreementTermsScheduleItem
from .api_key import ApiKey
from .api_key_create_request import ApiKeyCreateRequest
from .api_key_create_request_scopes_type_0 import ApiKeyCreateRequestScopesType0
from .api_key_create_request_scopes_type_1_item import (
    ApiKeyCreateRequestScopesType1Item,
)
from .api_key_created import ApiKeyCreated
from .api_key_list import ApiKeyList
from .api_key_revoked import ApiKeyRevoked
from .apply_to_enum import ApplyToEnum
from .assess_risk_employment_status_enum import AssessRiskEmploymentStatusEnum
from .assess_risk_home_ownership_enum import AssessRiskHomeOwnershipEnum
from .assess_risk_purpose_enum import AssessRiskPurposeEnum
from .assess_risk_request import AssessRiskRequest
from .assess_risk_response import AssessRiskResponse
from .assessment import Assessment
from .assessment_risk_factors_item import AssessmentRiskFactorsItem
from .auto_invest_rule import AutoInvestRule
from .auto_invest_rule_deleted import AutoInvestRuleDeleted
from .auto_invest_rule_input_request import AutoInvestRuleInputRequest
from .auto_invest_rule_input_request_grade_limits import (
    AutoInvestRuleInputRequestGradeLimits,
)
from .auto_invest_rule_list import AutoInvestRuleList
from .auto_invest_rule_response import AutoInvestRuleResponse
from .bid import Bid
from .bid_create_request import BidCreateRequest
from .bid_lender_type_0 import BidLenderType0
from .bid_list_response import BidListResponse
from .bid_response import BidResponse
from .bid_status_enum import BidStatusEnum
from .blank_enum import BlankEnum
from .borrower import Borrower
from .buy_request import BuyRequest
from .document_type_enum import DocumentTypeEnum
from .error import Error
from .event_enum import EventEnum
from .events_enum import EventsEnum
from .expected_return import ExpectedReturn
from .gateway_payment import GatewayPayment
from .get_loan_list_purpose import GetLoanListPurpose
from .get_loan_list_sort_by import GetLoanListSortBy
from .get_loan_list_sort_order import GetLoanListSortOrder
from .get_loan_list_status import GetLoanListStatus
from .get_loan_list_term_months import GetLoanListTermMonths
from .get_statements_format import GetStatementsFormat
from .get_statements_response_200 import GetStatementsResponse200
from .hardship_plan import HardshipPlan
from .hardship_plan_response import HardshipPlanResponse
from .hardship_plan_status_enum import HardshipPlanStatusEnum
from .hardship_request_request import HardshipRequestRequest
from .hardship_request_response import HardshipRequestResponse
from .installment import Installment
from .installment_status_enum import InstallmentStatusEnum
from .kind_enum import KindEnum
from .kyc_document import KycDocument
from .kyc_document_request import KycDocumentRequest
from .kyc_document_status_enum import KycDocumentStatusEnum
from .lender_preference import LenderPreference
from .lender_preference_request import LenderPreferenceRequest
from .listing import Listing
from .listing_create_request import ListingCreateRequest
from .listing_status_enum import ListingStatusEnum
from .loan import Loan
from .loan_create_request import LoanCreateRequest
from .loan_create_response import LoanCreateResponse
from .loan_document_attach_request import LoanDocumentAttachRequest
from .loan_document_attached import LoanDocumentAttached
from .loan_document_detached import LoanDocumentDetached
from .loan_document_list import LoanDocumentList
from .loan_list_response import LoanListResponse
from .loan_matching_response import LoanMatchingResponse
from .loan_response import LoanResponse
from .loan_status_enum import LoanStatusEnum
from .loan_term_enum import LoanTermEnum
from .login_request import LoginRequest
from .login_response import LoginResponse
from .market_listing_cancelled import MarketListingCancelled
from .market_listing_changed import MarketListingChanged
from .market_listing_created import MarketListingCreated
from .market_listings import MarketListings
from .market_listings_grade import MarketListingsGrade
from .market_listings_pagination import MarketListingsPagination
from .market_listings_sort_by import MarketListingsSortBy
from .market_order_changed import MarketOrderChanged
from .market_order_created import MarketOrderCreated
from .market_order_deleted import MarketOrderDeleted
from .market_orders import MarketOrders
from .market_trade import MarketTrade
from .market_trades import MarketTrades
from .match import Match
from .max_rate_request import MaxRateRequest
from .method_enum import MethodEnum
from .move_request import MoveRequest
from .note import Note
from .note_hardship_plan import NoteHardshipPlan
from .note_status_enum import NoteStatusEnum
from .notification import Notification
from .notification_read_response import NotificationReadResponse
from .order import Order
from .order_book_response import OrderBookResponse
from .order_request import OrderRequest
from .paginated_notification_list import PaginatedNotificationList
from .paginated_notification_list_pagination import PaginatedNotificationListPagination
from .paginated_wallet_movement_list import PaginatedWalletMovementList
from .paginated_wallet_movement_list_pagination import (
    PaginatedWalletMovementListPagination,
)
from .paginated_webhook_delivery_list import PaginatedWebhookDeliveryList
from .paginated_webhook_delivery_list_pagination import (
    PaginatedWebhookDeliveryListPagination,
)
from .pagination import Pagination
from .password_change_request import PasswordChangeRequest
from .password_change_response import PasswordChangeResponse
from .patched_auto_invest_rule_input_request import PatchedAutoInvestRuleInputRequest
from .patched_auto_invest_rule_input_request_grade_limits import (
    PatchedAutoInvestRuleInputRequestGradeLimits,
)
from .patched_bid_update_request import PatchedBidUpdateRequest
from .patched_order_request import PatchedOrderRequest
from .patched_price_request import PatchedPriceRequest
from .patched_profile_request import PatchedProfileRequest
from .payment_history_response import PaymentHistoryResponse
from .payment_received import PaymentReceived
from .payment_schedule_response import PaymentScheduleResponse
from .payment_summary import PaymentSummary
from .payments_received_response import PaymentsReceivedResponse
from .payoff_response import PayoffResponse
from .portfolio_response import PortfolioResponse
from .profile import Profile
from .profile_employment_status_enum import ProfileEmploymentStatusEnum
from .profile_home_ownership_enum import ProfileHomeOwnershipEnum
from .profile_request import ProfileRequest
from .purpose_enum import PurposeEnum
from .recovery_request_request import RecoveryRequestRequest
from .recovery_response import RecoveryResponse
from .recovery_response_recovery import RecoveryResponseRecovery
from .register_request import RegisterRequest
from .register_response import RegisterResponse
from .registered_user import RegisteredUser
from .repayment import Repayment
from .repayment_status_enum import RepaymentStatusEnum
from .risk_grade_enum import RiskGradeEnum
from .risk_tolerance_enum import RiskToleranceEnum
from .schedule_request_request import ScheduleRequestRequest
from .source_enum import SourceEnum
from .success_response import SuccessResponse
from .summary import Summary
from .summary_by_grade import SummaryByGrade
from .trade import Trade
from .user_summary import UserSummary
from .verification_decision_enum import VerificationDecisionEnum
from .verification_request import VerificationRequest
from .verification_response import VerificationResponse
from .verification_status_enum import VerificationStatusEnum
from .wallet import Wallet
from .wallet_move_response import WalletMoveResponse
from .wallet_movement import WalletMovement
from .webhook import Webhook
from .webhook_create_request import WebhookCreateRequest
from .webhook_created import WebhookCreated
from .webhook_deleted import WebhookDeleted
from .webhook_delivery import WebhookDelivery
from .webhook_delivery_status_enum import WebhookDeliveryStatusEnum
from .webhook_gateway import WebhookGateway
from .webhook_list import WebhookList
from .webhook_response import WebhookResponse

__all__ = (
    "AcceptRequest",
    "Address",
    "AddressRequest",
    "Agreement",
    "AgreementTerms",
    "AgreementTermsScheduleItem",
    "ApiKey",
    "ApiKeyCreated",
    "ApiKeyCreateRequest",
    "ApiKeyCreateRequestScopesType0",
    "ApiKeyCreateRequestScopesType1Item",
    "ApiKeyList",
    "ApiKeyRevoked",
    "ApplyToEnum",
    "Assessment",
    "AssessmentRiskFactorsItem",
    "AssessRiskEmploymentStatusEnum",
    "AssessRiskHomeOwnershipEnum",
    "AssessRiskPurposeEnum",
    "AssessRiskRequest",
    "AssessRiskResponse",
    "AutoInvestRule",
    "AutoInvestRuleDeleted",
    "AutoInvestRuleInputRequest",
    "AutoInvestRuleInputRequestGradeLimits",
    "AutoInvestRuleList",
    "AutoInvestRuleResponse",
    "Bid",
    "BidCreateRequest",
    "BidLenderType0",
    "BidListResponse",
    "BidResponse",
    "BidStatusEnum",
    "BlankEnum",
    "Borrower",
    "BuyRequest",
    "DocumentTypeEnum",
    "Error",
    "EventEnum",
    "EventsEnum",
    "ExpectedReturn",
    "GatewayPayment",
    "GetLoanListPurpose",
    "GetLoanListSortBy",
    "GetLoanListSortOrder",
    "GetLoanListStatus",
    "GetLoanListTermMonths",
    "GetStatementsFormat",
    "GetStatementsResponse200",
    "HardshipPlan",
    "HardshipPlanResponse",
    "HardshipPlanStatusEnum",
    "HardshipRequestRequest",
    "HardshipRequestResponse",
    "Installment",
    "InstallmentStatusEnum",
    "KindEnum",
    "KycDocument",
    "KycDocumentRequest",
    "KycDocumentStatusEnum",
    "LenderPreference",
    "LenderPreferenceRequest",
    "Listing",
    "ListingCreateRequest",
    "ListingStatusEnum",
    "Loan",
    "LoanCreateRequest",
    "LoanCreateResponse",
    "LoanDocumentAttached",
    "LoanDocumentAttachRequest",
    "LoanDocumentDetached",
    "LoanDocumentList",
    "LoanListResponse",
    "LoanMatchingResponse",
    "LoanResponse",
    "LoanStatusEnum",
    "LoanTermEnum",
    "LoginRequest",
    "LoginResponse",
    "MarketListingCancelled",
    "MarketListingChanged",
    "MarketListingCreated",
    "MarketListings",
    "MarketListingsGrade",
    "MarketListingsPagination",
    "MarketListingsSortBy",
    "MarketOrderChanged",
    "MarketOrderCreated",
    "MarketOrderDeleted",
    "MarketOrders",
    "MarketTrade",
    "MarketTrades",
    "Match",
    "MaxRateRequest",
    "MethodEnum",
    "MoveRequest",
    "Note",
    "NoteHardshipPlan",
    "NoteStatusEnum",
    "Notification",
    "NotificationReadResponse",
    "Order",
    "OrderBookResponse",
    "OrderRequest",
    "PaginatedNotificationList",
    "PaginatedNotificationListPagination",
    "PaginatedWalletMovementList",
    "PaginatedWalletMovementListPagination",
    "PaginatedWebhookDeliveryList",
    "PaginatedWebhookDeliveryListPagination",
    "Pagination",
    "PasswordChangeRequest",
    "PasswordChangeResponse",
    "PatchedAutoInvestRuleInputRequest",
    "PatchedAutoInvestRuleInputRequestGradeLimits",
    "PatchedBidUpdateRequest",
    "PatchedOrderRequest",
    "PatchedPriceRequest",
    "PatchedProfileRequest",
    "PaymentHistoryResponse",
    "PaymentReceived",
    "PaymentScheduleResponse",
    "PaymentsReceivedResponse",
    "PaymentSummary",
    "PayoffResponse",
    "PortfolioResponse",
    "Profile",
    "ProfileEmploymentStatusEnum",
    "ProfileHomeOwnershipEnum",
    "ProfileRequest",
    "PurposeEnum",
    "RecoveryRequestRequest",
    "RecoveryResponse",
    "RecoveryResponseRecovery",
    "RegisteredUser",
    "RegisterRequest",
    "RegisterResponse",
    "Repayment",
    "RepaymentStatusEnum",
    "RiskGradeEnum",
    "RiskToleranceEnum",
    "ScheduleRequestRequest",
    "SourceEnum",
    "SuccessResponse",
    "Summary",
    "SummaryByGrade",
    "Trade",
    "UserSummary",
    "VerificationDecisionEnum",
    "VerificationRequest",
    "VerificationResponse",
    "VerificationStatusEnum",
    "Wallet",
    "WalletMovement",
    "WalletMoveResponse",
    "Webhook",
    "WebhookCreated",
    "WebhookCreateRequest",
    "WebhookDeleted",
    "WebhookDelivery",
    "WebhookDeliveryStatusEnum",
    "WebhookGateway",
    "WebhookList",
    "WebhookResponse",
)
