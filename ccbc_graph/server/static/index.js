// The page at /: YASGUI on this server's /sparql, and the shipped queries one click away.
// Nothing here or in YASGUI's configuration reaches past this server (see yasgui/README.md).
"use strict";

(() => {
  const config = JSON.parse(document.getElementById("ui-config").textContent);
  const endpoint = new URL(config.endpoint, document.baseURI).href;
  const status = document.getElementById("status");

  // The property and class completers ask lov.linkeddata.es; the prefix completer uses its
  // built-in list as long as prefixCcApi stays unset.
  const Yasqe = Yasgui.Yasqe;
  Yasqe.defaults.autocompleters = Yasqe.defaults.autocompleters.filter((name) => name === "variables" || name === "prefixes");

  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: () => [{ endpoint }], keys: [] },
    yasqe: { value: config.defaultQuery },
  });
  document.body.dataset.ready = "1";

  // A shipped query opens in a tab of its own (reused when opened again), bound by the server.
  for (const form of document.querySelectorAll("form.query")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const params = new URLSearchParams();
      for (const input of form.querySelectorAll("input[name]")) {
        if (input.value.trim()) params.append(input.name, input.value.trim());
      }
      const response = await fetch(`queries/${encodeURIComponent(form.dataset.name)}.rq?${params}`);
      const text = await response.text();
      status.textContent = response.ok ? "" : text;
      if (!response.ok) return;
      const title = form.dataset.title;
      const open = yasgui.tabNameTaken(title);
      if (open) yasgui.selectTabId(open.getId());
      else yasgui.addTab(true, { name: title, requestConfig: { endpoint } });
      yasgui.getTab().setQuery(text);
    });
  }

  // IRIs of the graph in the results open their page on this server, not on w3id.org.
  const localise = (event) => {
    const link = event.target.closest("a[href]");
    if (link && link.href.startsWith(config.base)) {
      link.href = `resource?uri=${encodeURIComponent(link.href)}`;
    }
  };
  document.getElementById("yasgui").addEventListener("click", localise, true);
  document.getElementById("yasgui").addEventListener("auxclick", localise, true);
})();
