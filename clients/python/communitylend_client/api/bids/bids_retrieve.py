from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bid_response import BidResponse
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    bid_id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/bids/{bid_id}".format(
            bid_id=quote(str(bid_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BidResponse | Error | None:
    if response.status_code == 200:
        response_200 = BidResponse.from_dict(response.json())

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
) -> Response[BidResponse | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    bid_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[BidResponse | Error]:
    """
    Args:
        bid_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BidResponse | Error]
    """

    kwargs = _get_kwargs(
        bid_id=bid_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    bid_id: int,
    *,
    client: AuthenticatedClient,
) -> BidResponse | Error | None:
    """
    Args:
        bid_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BidResponse | Error
    """

    return sync_detailed(
        bid_id=bid_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    bid_id: int,
    *,
    client: AuthenticatedClient,
) -> Response[BidResponse | Error]:
    """
    Args:
        bid_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BidResponse | Error]
    """

    kwargs = _get_kwargs(
        bid_id=bid_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    bid_id: int,
    *,
    client: AuthenticatedClient,
) -> BidResponse | Error | None:
    """
    Args:
        bid_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BidResponse | Error
    """

    return (
        await asyncio_detailed(
            bid_id=bid_id,
            client=client,
        )
    ).parsed
