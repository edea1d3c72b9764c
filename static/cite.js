/* The 复制 button of an article's 引用本文: copies the citation. Shown
   only where it can work (it is hidden without scripts). From file://
   the clipboard API may be refused, so the text is then selected and
   copied the older way. */
(function () {
  "use strict";
  function copied(button) {
    button.textContent = "已复制";
    setTimeout(function () { button.textContent = "复制"; }, 2000);
  }
  function fallback(node, button) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    try {
      if (document.execCommand("copy")) copied(button);
    } catch (e) { /* the text stays selected for the reader to copy */ }
  }
  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var node = document.getElementById(button.getAttribute("data-copy"));
    if (!node) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = node.textContent;
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { copied(button); },
          function () { fallback(node, button); });
      } else {
        fallback(node, button);
      }
    });
  });
})();
