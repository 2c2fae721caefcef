with source as (

    select * from {{ source('identity', 'lead_id_history') }}

),

renamed as (

    select
        retired_lead_id,
        surviving_lead_id,
        retired_at
    from source

)

select * from renamed
