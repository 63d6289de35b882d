from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.auto_invest_rule_input_request import AutoInvestRuleInputRequest
from ...models.auto_invest_rule_response import AutoInvestRuleResponse
from ...models.error import Error
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: AutoInvestRuleInputRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/auto-invest",
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AutoInvestRuleResponse | Error | None:
    if response.status_code == 201:
        response_201 = AutoInvestRuleResponse.from_dict(response.json())

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
) -> Response[AutoInvestRuleResponse | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AutoInvestRuleInputRequest | Unset = UNSET,
) -> Response[AutoInvestRuleResponse | Error]:
    """
    Args:
        body (AutoInvestRuleInputRequest | Unset): Types and plain ranges; the service checks the
            rest (e.g. min_per_loan <= max_per_loan).
            Every field is optional: POST fills the defaults, PATCH changes what it is given.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AutoInvestRuleResponse | Error]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: AutoInvestRuleInputRequest | Unset = UNSET,
) -> AutoInvestRuleResponse | Error | None:
    """
    Args:
        body (AutoInvestRuleInputRequest | Unset): Types and plain ranges; the service checks the
            rest (e.g. min_per_loan <= max_per_loan).
            Every field is optional: POST fills the defaults, PATCH changes what it is given.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AutoInvestRuleResponse | Error
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AutoInvestRuleInputRequest | Unset = UNSET,
) -> Response[AutoInvestRuleResponse | Error]:
    """
    Args:
        body (AutoInvestRuleInputRequest | Unset): Types and plain ranges; the service checks the
            rest (e.g. min_per_loan <= max_per_loan).
            Every field is optional: POST fills the defaults, PATCH changes what it is given.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AutoInvestRuleResponse | Error]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AutoInvestRuleInputRequest | Unset = UNSET,
) -> AutoInvestRuleResponse | Error | None:
    """
    Args:
        body (AutoInvestRuleInputRequest | Unset): Types and plain ranges; the service checks the
            rest (e.g. min_per_loan <= max_per_loan).
            Every field is optional: POST fills the defaults, PATCH changes what it is given.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AutoInvestRuleResponse | Error
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
