-- One outbound message of the engine: message_id is the channel's id once sent, else
-- `outbox:<id>` (queued, dry run, failed before Meta gave it an id).
with source as (

    select * from {{ source('app', 'outbox') }}

),

renamed as (

    select
        outbox_id,
        coalesce(provider_message_id, 'outbox:' || cast(outbox_id as {{ dbt.type_string() }}))
            as message_id,
        provider_message_id,
        channel,
        recipient_id,
        sender_id,
        conversation_id as engine_conversation_id,
        kind,
        purpose,
        status,
        coalesce(
            body #>> '{text,body}',
            body #>> '{message,text}',
            body #>> '{interactive,body,text}',
            'template: ' || (body #>> '{template,name}')
        ) as text,
        in_reply_to,
        attempts,
        last_error,
        created_at,
        sent_at,
        status_at
    from source

)

select * from renamed
