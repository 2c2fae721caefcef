-- THE model that assigns lead_id to every source identity; everything downstream takes
-- lead_id from here. The identity asset (ingestion/identity) decides it: deterministic keys,
-- Fellegi-Sunter matching, guarded clustering, stable ids. An identity it has not seen yet
-- (one that landed after its last run) is its own lead, with the id the matcher would
-- give it: md5(source:source_id).
with identities as (

    select * from {{ ref('int_identities') }}

),

links as (

    select * from {{ ref('stg_identity__links') }}

),

resolved as (

    select
        identities.source,
        identities.source_id,
        coalesce(links.lead_id, {{ key(['identities.source', 'identities.source_id']) }})
            as lead_id,
        coalesce(links.match_confidence, 1.0) as match_confidence,
        coalesce(links.match_rule, 'same_source_id') as match_rule,
        coalesce(links.match_reasons, cast('[]' as jsonb)) as match_reasons,
        links.valid_phone_e164,
        links.valid_email
    from identities
    left join links
        on identities.source = links.source
        and identities.source_id = links.source_id

)

select * from resolved
