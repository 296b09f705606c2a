// Reads an electronic card's QR code with the camera into the check form, where the
// browser has a QR reader (BarcodeDetector); elsewhere the button stays hidden and the
// code's text is pasted. Nothing leaves the page but the form's own post.
(function () {
  'use strict';
  var button = document.querySelector('[data-scan]');
  var form = document.querySelector('[data-check-form]');
  if (!button || !form || !('BarcodeDetector' in window) || !navigator.mediaDevices) {
    return;
  }
  var video = document.querySelector('[data-scan-video]');
  var field = form.querySelector('textarea[name="code"]');
  var stream = null;
  var detector = new window.BarcodeDetector({ formats: ['qr_code'] });
  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    video.hidden = true;
    button.textContent = button.dataset.start;
  }
  function look() {
    if (!stream) { return; }
    detector.detect(video).then(function (codes) {
      var found = codes.find(function (c) { return c.rawValue.indexOf('SBE1.') === 0; });
      if (found) {
        field.value = found.rawValue;
        stop();
        form.submit();
      } else {
        window.setTimeout(look, 250);
      }
    }, function () { window.setTimeout(look, 500); });
  }
  button.hidden = false;
  button.dataset.start = button.textContent;
  button.addEventListener('click', function () {
    if (stream) { stop(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      button.textContent = button.dataset.stop;
      video.play().then(look);
    }, stop);
  });
})();
