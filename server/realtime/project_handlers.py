"""Socket handlers for story cards."""
from __future__ import annotations

from ..domain.actors import Actor
from ..services import projects
from ..services.commands import CommandResult
from .dispatch import command, database
from .payloads import ProjectDelete, ProjectEdit, ProjectPost


@command("project_post", ProjectPost)
def project_post(actor: Actor, payload: ProjectPost) -> CommandResult:
    """Post a story card."""
    return projects.post_project(database(), actor, payload.op_id, payload.project.model_dump())


@command("project_edit", ProjectEdit)
def project_edit(actor: Actor, payload: ProjectEdit) -> CommandResult:
    """Edit a story card (only the fields sent change)."""
    return projects.edit_project(database(), actor, payload.op_id, payload.project_id, payload.project.model_dump(exclude_unset=True))


@command("project_delete", ProjectDelete)
def project_delete(actor: Actor, payload: ProjectDelete) -> CommandResult:
    """Remove a story card."""
    return projects.delete_project(database(), actor, payload.op_id, payload.project_id)
