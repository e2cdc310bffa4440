"""The run of show: phases and timer, spotlight, moderation, the facilitator's progress view, its snapshot part."""
