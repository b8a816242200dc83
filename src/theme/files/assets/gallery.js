// Previous/next buttons for the photo galleries. Without this script a
// gallery still works: it scrolls and snaps, by touch, mouse or keyboard.
(function () {
  'use strict';
  var labels = document.body.dataset;
  var reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  function button(text, label) {
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.setAttribute('aria-label', label);
    return b;
  }

  document.querySelectorAll('.gallery').forEach(function (gallery) {
    var slides = gallery.querySelectorAll('.gallery-slide');
    if (slides.length < 2) return;
    var controls = document.createElement('div');
    controls.className = 'gallery-controls';
    var prev = button('\u2190', labels.galleryPrev || 'Previous photo');
    var next = button('\u2192', labels.galleryNext || 'Next photo');
    var count = document.createElement('span');
    count.className = 'gallery-count';
    count.setAttribute('aria-live', 'polite');
    controls.append(prev, count, next);
    gallery.after(controls);

    function current() {
      return Math.round(gallery.scrollLeft / gallery.clientWidth);
    }
    function update() {
      var i = current();
      prev.disabled = i <= 0;
      next.disabled = i >= slides.length - 1;
      count.textContent = (i + 1) + ' / ' + slides.length;
    }
    function go(step) {
      var i = Math.max(0, Math.min(slides.length - 1, current() + step));
      gallery.scrollTo({ left: i * gallery.clientWidth, behavior: reduceMotion ? 'auto' : 'smooth' });
    }
    prev.addEventListener('click', function () { go(-1); });
    next.addEventListener('click', function () { go(1); });
    var pending = 0;
    gallery.addEventListener('scroll', function () {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(update);
    });
    update();
  });
})();
