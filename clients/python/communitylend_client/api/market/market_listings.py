from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.market_listings import MarketListings
from ...models.market_listings_grade import MarketListingsGrade
from ...models.market_listings_sort_by import MarketListingsSortBy
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    after: str | Unset = UNSET,
    grade: MarketListingsGrade | Unset = UNSET,
    limit: int | Unset = 50,
    max_price_percent: float | str | Unset = UNSET,
    min_yield: float | str | Unset = UNSET,
    sort_by: MarketListingsSortBy | Unset = MarketListingsSortBy.PRICE,
    term_left_max: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["after"] = after

    json_grade: str | Unset = UNSET
    if not isinstance(grade, Unset):
        json_grade = grade.value

    params["grade"] = json_grade

    params["limit"] = limit

    json_max_price_percent: float | str | Unset
    if isinstance(max_price_percent, Unset):
        json_max_price_percent = UNSET
    else:
        json_max_price_percent = max_price_percent
    params["maxPricePercent"] = json_max_price_percent

    json_min_yield: float | str | Unset
    if isinstance(min_yield, Unset):
        json_min_yield = UNSET
    else:
        json_min_yield = min_yield
    params["minYield"] = json_min_yield

    json_sort_by: str | Unset = UNSET
    if not isinstance(sort_by, Unset):
        json_sort_by = sort_by.value

    params["sortBy"] = json_sort_by

    params["termLeftMax"] = term_left_max

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/market/listings",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | MarketListings | None:
    if response.status_code == 200:
        response_200 = MarketListings.from_dict(response.json())

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
) -> Response[Error | MarketListings]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    grade: MarketListingsGrade | Unset = UNSET,
    limit: int | Unset = 50,
    max_price_percent: float | str | Unset = UNSET,
    min_yield: float | str | Unset = UNSET,
    sort_by: MarketListingsSortBy | Unset = MarketListingsSortBy.PRICE,
    term_left_max: int | Unset = UNSET,
) -> Response[Error | MarketListings]:
    """
    Args:
        after (str | Unset):
        grade (MarketListingsGrade | Unset):
        limit (int | Unset):  Default: 50.
        max_price_percent (float | str | Unset):  Example: 100.00.
        min_yield (float | str | Unset):  Example: 100.00.
        sort_by (MarketListingsSortBy | Unset):  Default: MarketListingsSortBy.PRICE.
        term_left_max (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | MarketListings]
    """

    kwargs = _get_kwargs(
        after=after,
        grade=grade,
        limit=limit,
        max_price_percent=max_price_percent,
        min_yield=min_yield,
        sort_by=sort_by,
        term_left_max=term_left_max,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    grade: MarketListingsGrade | Unset = UNSET,
    limit: int | Unset = 50,
    max_price_percent: float | str | Unset = UNSET,
    min_yield: float | str | Unset = UNSET,
    sort_by: MarketListingsSortBy | Unset = MarketListingsSortBy.PRICE,
    term_left_max: int | Unset = UNSET,
) -> Error | MarketListings | None:
    """
    Args:
        after (str | Unset):
        grade (MarketListingsGrade | Unset):
        limit (int | Unset):  Default: 50.
        max_price_percent (float | str | Unset):  Example: 100.00.
        min_yield (float | str | Unset):  Example: 100.00.
        sort_by (MarketListingsSortBy | Unset):  Default: MarketListingsSortBy.PRICE.
        term_left_max (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | MarketListings
    """

    return sync_detailed(
        client=client,
        after=after,
        grade=grade,
        limit=limit,
        max_price_percent=max_price_percent,
        min_yield=min_yield,
        sort_by=sort_by,
        term_left_max=term_left_max,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    grade: MarketListingsGrade | Unset = UNSET,
    limit: int | Unset = 50,
    max_price_percent: float | str | Unset = UNSET,
    min_yield: float | str | Unset = UNSET,
    sort_by: MarketListingsSortBy | Unset = MarketListingsSortBy.PRICE,
    term_left_max: int | Unset = UNSET,
) -> Response[Error | MarketListings]:
    """
    Args:
        after (str | Unset):
        grade (MarketListingsGrade | Unset):
        limit (int | Unset):  Default: 50.
        max_price_percent (float | str | Unset):  Example: 100.00.
        min_yield (float | str | Unset):  Example: 100.00.
        sort_by (MarketListingsSortBy | Unset):  Default: MarketListingsSortBy.PRICE.
        term_left_max (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | MarketListings]
    """

    kwargs = _get_kwargs(
        after=after,
        grade=grade,
        limit=limit,
        max_price_percent=max_price_percent,
        min_yield=min_yield,
        sort_by=sort_by,
        term_left_max=term_left_max,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    grade: MarketListingsGrade | Unset = UNSET,
    limit: int | Unset = 50,
    max_price_percent: float | str | Unset = UNSET,
    min_yield: float | str | Unset = UNSET,
    sort_by: MarketListingsSortBy | Unset = MarketListingsSortBy.PRICE,
    term_left_max: int | Unset = UNSET,
) -> Error | MarketListings | None:
    """
    Args:
        after (str | Unset):
        grade (MarketListingsGrade | Unset):
        limit (int | Unset):  Default: 50.
        max_price_percent (float | str | Unset):  Example: 100.00.
        min_yield (float | str | Unset):  Example: 100.00.
        sort_by (MarketListingsSortBy | Unset):  Default: MarketListingsSortBy.PRICE.
        term_left_max (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | MarketListings
    """

    return (
        await asyncio_detailed(
            client=client,
            after=after,
            grade=grade,
            limit=limit,
            max_price_percent=max_price_percent,
            min_yield=min_yield,
            sort_by=sort_by,
            term_left_max=term_left_max,
        )
    ).parsed
