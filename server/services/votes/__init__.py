"""The story vote: its use cases, its views, the dots a card leaving the vote gives back."""
