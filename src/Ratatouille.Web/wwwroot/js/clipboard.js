// Copy the text of an input: the async clipboard API where the page is a secure context,
// else the old selection-based copy (plain-HTTP LAN installs). Returns whether it worked.
window.ratatouilleClipboard = {
  copy: async (id) => {
    const input = document.getElementById(id);
    if (!input) return false;
    if (navigator.clipboard && window.isSecureContext) {
      try { await navigator.clipboard.writeText(input.value); return true; } catch { /* fall through */ }
    }
    input.focus();
    input.select();
    try { return document.execCommand("copy"); } catch { return false; }
  },
};
