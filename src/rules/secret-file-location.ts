import { defineRule } from "./rule.js";
import { oncePerPath, tunnelSetting, tunnelValueOwner } from "./support/intent-paths.js";

/** Top-level folders of a sitewire repository: a secret file there is one `git add` away from being committed. */
const REPOSITORY_FOLDERS = ["sites", "out", "schema", "templates", "test"];

/**
 * A PSK file reference is resolved on the deploying machine. A relative path resolves against whatever
 * directory the deployment runs in, which is usually a checkout of this repository; a path into the
 * repository's own folders puts the secret next to committed files.
 */
export const secretFileLocation = defineRule({
  code: "SW125",
  name: "secret-file-location",
  description:
    "Warns when a PSK file reference is a relative path or points into the repository (sites/, out/…): secrets belong outside git; an error under --strict.",
  severity: "warning",
  messages: {
    inRepository: "PSK file '{{file}}' of {{owner}} is inside the repository's {{folder}}/ folder, where it could be committed",
    relative: "PSK file '{{file}}' of {{owner}} is a relative path: it resolves against the directory the deployment runs in, usually this repository",
  },
  check({ intent, model }, report) {
    const once = oncePerPath();
    for (const t of model.tunnels)
      for (const end of [t.host, t.peer]) {
        const psk = tunnelSetting(intent, t.name, end.node, ["psk"]);
        if (end.psk.kind !== "file" || !psk || !once(psk)) continue;
        const file = end.psk.ref;
        if (file.startsWith("/")) continue;
        const folder = REPOSITORY_FOLDERS.find((f) => file.replace(/^(\.\/)+/, "").startsWith(`${f}/`));
        const hint = `keep it outside the repository, e.g. /run/secrets/${t.name}-psk, or use env:`;
        report(folder ? "inRepository" : "relative", [...psk, "file"], { file, owner: tunnelValueOwner(t.name, psk), ...(folder ? { folder } : {}) }, { hint });
      }
  },
});
