"""Badges: definitions from activity.toml, images, Open Badges 2.0 and 3.0 documents,
baking, and the deliverer that sends the store's outbox to a badge service.

The hub (`wearkit.hub`) issues with these; the classroom host delivers with `deliverer`.
"""
