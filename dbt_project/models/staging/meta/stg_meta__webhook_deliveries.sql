with source as (

    select * from {{ source('raw', 'webhook_deliveries') }}

),

renamed as (

    select
        delivery_id,
        source as delivery_source,
        object as webhook_object,
        body_sha256,
        event_count,
        received_at,
        body
    from source

)

select * from renamed
