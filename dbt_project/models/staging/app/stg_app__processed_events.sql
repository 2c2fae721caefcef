-- What the engine understood of each inbound message (language, intent, sentiment, route).
with source as (

    select * from {{ source('app', 'processed_events') }}

),

renamed as (

    select
        event_row_id,
        channel,
        event_id as message_id,
        event_type,
        conversation_id as engine_conversation_id,
        lead_id as engine_lead_id,
        language,
        intent,
        intent_confidence,
        sentiment_score,
        sentiment_label,
        route,
        priority,
        outcome,
        processed_at
    from source
    where event_type in ('message', 'postback')

)

select * from renamed
