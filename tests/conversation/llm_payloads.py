"""OpenAI and Anthropic answers to a structured call, shaped as their API references show
them: a chat completion whose content is the `json_schema` JSON, a message whose content is
the forced `tool_use` block (a helper module, imported by the tests beside it)."""

from __future__ import annotations

import json

OPENAI = "/v1/chat/completions"
ANTHROPIC = "/v1/messages"


def openai_json(answer: dict) -> dict:
    """A chat completion whose content is the JSON a `json_schema` response format gives."""
    return {
        "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
        "object": "chat.completion",
        "created": 1764150000,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": json.dumps(answer), "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 388, "completion_tokens": 21, "total_tokens": 409},
    }


def anthropic_tool_use(answer: dict) -> dict:
    """A message whose content is the forced tool call, as Anthropic returns it."""
    return {
        "id": "msg_01Aq9w938a90dw8q",
        "type": "message",
        "role": "assistant",
        "model": "claude-3-5-haiku-20241022",
        "content": [
            {
                "type": "tool_use",
                "id": "toolu_01A09q90qw90lq917835lq9",
                "name": "classify_message",
                "input": answer,
            }
        ],
        "stop_reason": "tool_use",
        "stop_sequence": None,
        "usage": {"input_tokens": 512, "output_tokens": 48},
    }
