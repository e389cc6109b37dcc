"""Changes to domestic homicide reviews, split by domain: ``lifecycle`` (notification, the
statutory process, holds, access), ``evidence`` (agency requests, chronologies, documents) and
``action_plan`` (recommendations)."""
