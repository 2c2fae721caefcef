-- One step taken of a campaign enrolment: the message queued, or why none was.
with source as (

    select * from {{ source('app', 'campaign_steps') }}

),

renamed as (

    select
        enrollment_id,
        step as step_number,
        outbox_id,
        kind,
        channel,
        outcome,
        reason,
        acted_at
    from source

)

select * from renamed
