"""Every change a PCC office, or a partnership answering it, makes: one function per intent, by
domain (``priorities``, ``report_requests``, ``combinations``).

Each takes the acting user and their membership of the partnership the page is about, and asks
the record's policy (oversight.policies) inside its transaction, after locking: a view
forgetting a check, or a role changed since the page was read, still changes nothing.
"""
