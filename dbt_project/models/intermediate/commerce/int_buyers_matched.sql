-- Each buyer's lead. The matching rule, until identity resolution replaces it:
--   1. an existing non-shopify identity with the buyer's email_key (rule `email`);
--   2. else one with the buyer's phone_key (rule `phone`; a WhatsApp wa_id is a phone);
--   3. else the buyer's own `shopify` identity, which int_identities creates exactly for
--      the buyers that match nothing (rule `own_identity`).
-- Several candidates: imports first, then whatsapp, messenger, instagram, then source_id.
with buyers as (

    select * from {{ ref('int_buyers_grouped') }}

),

identities as (

    select * from {{ ref('int_identities') }}

),

leads as (

    select * from {{ ref('int_leads_resolved') }}

),

candidates as (

    select
        buyers.customer_key,
        identities.source,
        identities.source_id,
        1 as rule_rank,
        'email' as match_rule
    from buyers
    inner join identities
        on buyers.email_key = identities.email_key
        and identities.source != 'shopify'
    union all
    select
        buyers.customer_key,
        identities.source,
        identities.source_id,
        2 as rule_rank,
        'phone' as match_rule
    from buyers
    inner join identities
        on buyers.phone_key = identities.phone_key
        and identities.source != 'shopify'
    union all
    select
        buyers.customer_key,
        identities.source,
        identities.source_id,
        3 as rule_rank,
        'own_identity' as match_rule
    from buyers
    inner join identities
        on identities.source = 'shopify'
        and buyers.customer_key = identities.source_id

),

ranked as (

    select
        *,
        row_number() over (
            partition by customer_key
            order by
                rule_rank,
                case source
                    when 'import' then 1 when 'whatsapp' then 2 when 'messenger' then 3
                    when 'instagram' then 4 else 5
                end,
                source_id
        ) as rank_in_buyer
    from candidates

),

final as (

    select
        ranked.customer_key,
        leads.lead_id,
        ranked.source as matched_source,
        ranked.source_id as matched_source_id,
        ranked.match_rule
    from ranked
    inner join leads
        on ranked.source = leads.source
        and ranked.source_id = leads.source_id
    where ranked.rank_in_buyer = 1

)

select * from final
