from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.loan_document_attach_request import LoanDocumentAttachRequest
from ...models.loan_document_attached import LoanDocumentAttached
from ...types import UNSET, Response, Unset


def _get_kwargs(
    loan_id: int,
    *,
    body: LoanDocumentAttachRequest | LoanDocumentAttachRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/loans/{loan_id}/documents".format(
            loan_id=quote(str(loan_id), safe=""),
        ),
    }

    if isinstance(body, LoanDocumentAttachRequest):
        if not isinstance(body, Unset):
            _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"
    if isinstance(body, LoanDocumentAttachRequest):
        if not isinstance(body, Unset):
            _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | LoanDocumentAttached | None:
    if response.status_code == 201:
        response_201 = LoanDocumentAttached.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | LoanDocumentAttached]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    loan_id: int,
    *,
    client: AuthenticatedClient,
    body: LoanDocumentAttachRequest | LoanDocumentAttachRequest | Unset = UNSET,
) -> Response[Error | LoanDocumentAttached]:
    """The documents attached to a loan application: the borrower and staff see them; the
    borrower attaches (an upload, or one of their documents) while it is open.

    Args:
        loan_id (int):
        body (LoanDocumentAttachRequest | Unset): Either a new file (multipart, with its type) or
            one of your documents by id.
        body (LoanDocumentAttachRequest | Unset): Either a new file (multipart, with its type) or
            one of your documents by id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | LoanDocumentAttached]
    """

    kwargs = _get_kwargs(
        loan_id=loan_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    loan_id: int,
    *,
    client: AuthenticatedClient,
    body: LoanDocumentAttachRequest | LoanDocumentAttachRequest | Unset = UNSET,
) -> Error | LoanDocumentAttached | None:
    """The documents attached to a loan application: the borrower and staff see them; the
    borrower attaches (an upload, or one of their documents) while it is open.

    Args:
        loan_id (int):
        body (LoanDocumentAttachRequest | Unset): Either a new file (multipart, with its type) or
            one of your documents by id.
        body (LoanDocumentAttachRequest | Unset): Either a new file (multipart, with its type) or
            one of your documents by id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | LoanDocumentAttached
    """

    return sync_detailed(
        loan_id=loan_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    loan_id: int,
    *,
    client: AuthenticatedClient,
    body: LoanDocumentAttachRequest | LoanDocumentAttachRequest | Unset = UNSET,
) -> Response[Error | LoanDocumentAttached]:
    """The documents attached to a loan application: the borrower and staff see them; the
    borrower attaches (an upload, or one of their documents) while it is open.

    Args:
        loan_id (int):
        body (LoanDocumentAttachRequest | Unset): Either a new file (multipart, with its type) or
            one of your documents by id.
        body (LoanDocumentAttachRequest | Unset): Either a new file (multipart, with its type) or
            one of your documents by id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | LoanDocumentAttached]
    """

    kwargs = _get_kwargs(
        loan_id=loan_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    loan_id: int,
    *,
    client: AuthenticatedClient,
    body: LoanDocumentAttachRequest | LoanDocumentAttachRequest | Unset = UNSET,
) -> Error | LoanDocumentAttached | None:
    """The documents attached to a loan application: the borrower and staff see them; the
    borrower attaches (an upload, or one of their documents) while it is open.

    Args:
        loan_id (int):
        body (LoanDocumentAttachRequest | Unset): Either a new file (multipart, with its type) or
            one of your documents by id.
        body (LoanDocumentAttachRequest | Unset): Either a new file (multipart, with its type) or
            one of your documents by id.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | LoanDocumentAttached
    """

    return (
        await asyncio_detailed(
            loan_id=loan_id,
            client=client,
            body=body,
        )
    ).parsed
