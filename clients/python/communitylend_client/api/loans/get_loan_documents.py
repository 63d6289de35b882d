from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.loan_document_list import LoanDocumentList
from ...types import Response


def _get_kwargs(
    loan_id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/loans/{loan_id}/documents".format(
            loan_id=quote(str(loan_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | LoanDocumentList | None:
    if response.status_code == 200:
        response_200 = LoanDocumentList.from_dict(response.json())

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
) -> Response[Error | LoanDocumentList]:
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
) -> Response[Error | LoanDocumentList]:
    """The documents attached to a loan application: the borrower and staff see them; the
    borrower attaches (an upload, or one of their documents) while it is open.

    Args:
        loan_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | LoanDocumentList]
    """

    kwargs = _get_kwargs(
        loan_id=loan_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    loan_id: int,
    *,
    client: AuthenticatedClient,
) -> Error | LoanDocumentList | None:
    """The documents attached to a loan application: the borrower and staff see them; the
    borrower attaches (an upload, or one of their documents) while it is open.

    Args:
        loan_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | LoanDocumentList
    """

    return sync_detailed(
        loan_id=loan_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    loan_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[Error | LoanDocumentList]:
    """The documents attached to a loan application: the borrower and staff see them; the
    borrower attaches (an upload, or one of their documents) while it is open.

    Args:
        loan_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | LoanDocumentList]
    """

    kwargs = _get_kwargs(
        loan_id=loan_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    loan_id: int,
    *,
    client: AuthenticatedClient,
) -> Error | LoanDocumentList | None:
    """The documents attached to a loan application: the borrower and staff see them; the
    borrower attaches (an upload, or one of their documents) while it is open.

    Args:
        loan_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | LoanDocumentList
    """

    return (
        await asyncio_detailed(
            loan_id=loan_id,
            client=client,
        )
    ).parsed
