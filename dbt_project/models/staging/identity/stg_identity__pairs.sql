with source as (

    select * from {{ source('identity', 'identity_pairs') }}

),

renamed as (

    select
        record_a,
        source_a,
        source_id_a,
        record_b,
        source_b,
        source_id_b,
        lead_a,
        lead_b,
        match_probability,
        match_weight,
        status,
        reasons,
        scored_at
    from source

)

select * from renamed
