from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.loan_document_detached import LoanDocumentDetached
from ...types import Response


def _get_kwargs(
    loan_id: int,
    document_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/loans/{loan_id}/documents/{document_id}".format(
            loan_id=quote(str(loan_id), safe=""),
            document_id=quote(str(document_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | LoanDocumentDetached | None:
    if response.status_code == 200:
        response_200 = LoanDocumentDetached.from_dict(response.json())

        return response_200

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
) -> Response[Error | LoanDocumentDetached]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    loan_id: int,
    document_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Error | LoanDocumentDetached]:
    """
    Args:
        loan_id (int):
        document_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | LoanDocumentDetached]
    """

    kwargs = _get_kwargs(
        loan_id=loan_id,
        document_id=document_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    loan_id: int,
    document_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Error | LoanDocumentDetached | None:
    """
    Args:
        loan_id (int):
        document_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | LoanDocumentDetached
    """

    return sync_detailed(
        loan_id=loan_id,
        document_id=document_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    loan_id: int,
    document_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Error | LoanDocumentDetached]:
    """
    Args:
        loan_id (int):
        document_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | LoanDocumentDetached]
    """

    kwargs = _get_kwargs(
        loan_id=loan_id,
        document_id=document_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    loan_id: int,
    document_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Error | LoanDocumentDetached | None:
    """
    Args:
        loan_id (int):
        document_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | LoanDocumentDetached
    """

    return (
        await asyncio_detailed(
            loan_id=loan_id,
            document_id=document_id,
            client=client,
        )
    ).parsed
