// Monaco helpers BlazorMonaco 3.0.0 does not expose in C#: markers (red squiggles) and inserting text at the cursor.
window.sqlEditor = {
  editor: (id) => window.blazorMonaco.editor.getEditor(id),
  setMarkers: (id, markers) => {
    const ed = window.sqlEditor.editor(id);
    if (ed) { monaco.editor.setModelMarkers(ed.getModel(), "sql", markers); }
  },
  clearMarkers: (id) => {
    const ed = window.sqlEditor.editor(id);
    if (ed) { monaco.editor.setModelMarkers(ed.getModel(), "sql", []); }
  },
  insertText: (id, text) => {
    const ed = window.sqlEditor.editor(id);
    if (!ed) { return; }
    const selection = ed.getSelection();
    ed.executeEdits("dataset-list", [{ range: selection, text: text, forceMoveMarkers: true }]);
    ed.focus();
  },
};
