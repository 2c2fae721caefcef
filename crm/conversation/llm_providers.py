"""The two LLM adapters, over the official SDKs (which retry 429 / 5xx / timeouts with
exponential backoff, `max_retries` times, within `timeout` seconds per attempt)."""

from __future__ import annotations

import anthropic
import openai

from crm.conversation.llm import LLMResult

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
        return LLMResult(
            text,
            self.provider,
            self.model,
            response.usage.input_tokens,
            response.usage.output_tokens,
        )
