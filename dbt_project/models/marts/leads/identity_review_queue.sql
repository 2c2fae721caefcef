-- Pairs of identities a person should look at: scored between the review and the link
-- threshold and left in different leads, with no decision yet (as of the last identity
-- run; the API also hides pairs decided since).
with pairs as (

    select * from {{ ref('stg_identity__pairs') }}
    where status = 'review'

),

identities as (

    select * from {{ ref('map_identity') }}

),

final as (

    select
        pairs.record_a,
        pairs.record_b,
        pairs.source_a,
        pairs.source_id_a,
        identity_a.display_name as display_name_a,
        pairs.lead_a,
        pairs.source_b,
        pairs.source_id_b,
        identity_b.display_name as display_name_b,
        pairs.lead_b,
        pairs.match_probability,
        pairs.match_weight,
        pairs.reasons,
        pairs.scored_at
    from pairs
    left join identities as identity_a
        on pairs.source_a = identity_a.source and pairs.source_id_a = identity_a.source_id
    left join identities as identity_b
        on pairs.source_b = identity_b.source and pairs.source_id_b = identity_b.source_id

)

select * from final
