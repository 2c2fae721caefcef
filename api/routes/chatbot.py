"""`POST /chatbot/respond`: the live bot's answer to a message, grounded and cited."""

from __future__ import annotations

from fastapi import APIRouter

from api.conversation_deps import ConnDep, EngineDep
from api.schemas_conversation import ChatRequest, ChatResponse, Citation
from crm.conversation import bot
from crm.conversation.understanding import understand

router = APIRouter(prefix="/chatbot", tags=["conversation"])


@router.post("/respond", response_model=ChatResponse)
def respond(body: ChatRequest, conn: ConnDep, config: EngineDep) -> ChatResponse:
    """Answer from the knowledge base in the customer's language; 'I don't know' honestly."""
    understood = understand(body.message, config.models, body.context.language or "es")
    language = body.context.language or understood.language
    reply = bot.answer(
        conn,
        body.message,
        understood.intent,
        language,
        body.context.conversation_history,
        llm=config.llm,
        embedder=config.embedder,
    )
    return ChatResponse(
        reply=reply.text,
        language=language,
        intent=understood.intent,
        confidence=understood.confidence,
        citations=[Citation(passage_id=p) for p in reply.citations],
        offer_human=reply.offer_human,
        source=reply.source,
    )
