-- A Messenger delivery receipt lists the mids it confirms: one row per (receipt, mid).
with receipts as (

    select * from {{ source('raw', 'channel_events') }}
    where channel = 'messenger'
        and event_type = 'receipt'
        and subtype = 'delivery'
        and jsonb_typeof(payload -> 'delivery' -> 'mids') = 'array'

),

unnested as (

    select
        receipts.id as event_key,
        receipts.event_id as receipt_event_id,
        nullif(receipts.person_id, '') as psid,
        mids.mid as message_id,
        receipts.occurred_at as delivered_at,
        receipts.received_at
    from receipts
    cross join lateral jsonb_array_elements_text(receipts.payload -> 'delivery' -> 'mids') as mids (mid)

)

select * from unnested
