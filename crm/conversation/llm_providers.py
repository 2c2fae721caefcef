"""The two LLM adapters, over the official SDKs (which retry 429 / 5xx / timeouts with
exponential backoff, `max_retries` times, within `timeout` seconds per attempt).

Structured calls use each provider's own mechanism for a schema-shaped answer: OpenAI's
`response_format` of type `json_schema` with `strict: true`, Anthropic's tool with an
`input_schema` that `tool_choice` forces the model to call.
"""

from __future__ import annotations

import json

import anthropic
import openai

from crm.conversation.llm import LLMResult, StructuredOutput

MAX_TOKENS = 400


class OpenAIAdapter:
    provider = "openai"

    def __init__(
        self, api_key: str, model: str, base_url: str | None, timeout: float, max_retries: int
    ) -> None:
        self.model = model
        self._client = openai.OpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
        )

    def complete(self, system: str, messages: list[dict[str, str]]) -> LLMResult:
        response = self._client.chat.completions.create(
            model=self.model,
            messages=[{"role": "system", "content": system}, *messages],
            temperature=0.2,
            max_tokens=MAX_TOKENS,
        )
        return self._result(response)

    def structured(
        self, system: str, messages: list[dict[str, str]], output: StructuredOutput
    ) -> LLMResult:
        """The JSON content of a `json_schema` (strict) answer; empty on a refusal."""
        schema = {"name": output.name, "description": output.description, "strict": True}
        response = self._client.chat.completions.create(
            model=self.model,
            messages=[{"role": "system", "content": system}, *messages],
            temperature=0,
            max_tokens=MAX_TOKENS,
            response_format={
                "type": "json_schema",
                "json_schema": {**schema, "schema": output.schema},
            },
        )
        return self._result(response)

    def _result(self, response) -> LLMResult:
        usage = response.usage
        return LLMResult(
            response.choices[0].message.content or "",
            self.provider,
            self.model,
            usage.prompt_tokens if usage else 0,
            usage.completion_tokens if usage else 0,
        )


class AnthropicAdapter:
    provider = "anthropic"

    def __init__(
        self, api_key: str, model: str, base_url: str | None, timeout: float, max_retries: int
    ) -> None:
        self.model = model
        self._client = anthropic.Anthropic(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
        )

    def complete(self, system: str, messages: list[dict[str, str]]) -> LLMResult:
        response = self._client.messages.create(
            model=self.model,
            system=system,
            messages=messages,
            max_tokens=MAX_TOKENS,
        )
        text = "".join(block.text for block in response.content if block.type == "text")
        return self._result(text, response)

    def structured(
        self, system: str, messages: list[dict[str, str]], output: StructuredOutput
    ) -> LLMResult:
        """The input of the forced tool call, as JSON; empty when no `tool_use` came back."""
        tool = {"name": output.name, "description": output.description}
        response = self._client.messages.create(
            model=self.model,
            system=system,
            messages=messages,
            max_tokens=MAX_TOKENS,
            tools=[{**tool, "input_schema": output.schema}],
            tool_choice={"type": "tool", "name": output.name},
        )
        calls = [
            b.input for b in response.content if b.type == "tool_use" and b.name == output.name
        ]
        return self._result(json.dumps(calls[0]) if calls else "", response)

    def _result(self, text: str, response) -> LLMResult:
        usage = response.usage
        return LLMResult(text, self.provider, self.model, usage.input_tokens, usage.output_tokens)
