// The periodic task form: show the crontab chosen in words (was an inline script in
// django-celery-beat's template; data comes from json_script and a data attribute).
(function () {
  "use strict";
  var script = document.currentScript;
  var data = document.getElementById("readable-crontabs");
  var $ = window.django && window.django.jQuery;
  if (!script || !data || !$) {
    return;
  }
  var readable = JSON.parse(data.textContent);
  var originalHelp = script.dataset.crontabHelp || "";
  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    var help = $(".field-crontab .help");
    help.text(originalHelp);
    help.append(document.createElement("br"));
    help.append(document.createTextNode("Translation: " + (readable[$("#id_crontab").val()] || "")));
  });
})();
