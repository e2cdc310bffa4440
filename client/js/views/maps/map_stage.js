// A spotlighted tribe map on the projector: its drawing, as large as the stage allows.

import { h, replaceChildren } from "../../dom.js";
import { tIsolated } from "../../i18n.js";
import { installLive } from "../../state/maps.js";
import { registerStage } from "../registry.js";
import { mountMapSvg } from "./map_svg.js";

function spotlightMapStage(projectId, ctx) {
  return {
    key: `map:${projectId}`,
    subscribes: true,
    mount(container) {
      const title = h("h2", { class: "stage-title" });
      const drawing = h("div", { class: "projector-map-drawing", "data-testid": "projector-map" });
      container.append(title, drawing);
      // The tribe map's drawing, as the map page draws it (the map page itself has editors the room
      // does not need), with the live drags of the board (the projector never says which map it shows).
      installLive(ctx.socket);
      mountMapSvg(drawing, ctx, projectId, { projector: true });
      drawing.dataset.drawn = "true";
      return (state) => {
        const project = state.projects.get(projectId);
        if (project) replaceChildren(title, tIsolated("show.projector.map_missing", { title: project.title }));
      };
    },
  };
}

registerStage("spotlight:map", (state, ctx, projectId) => spotlightMapStage(projectId, ctx));
