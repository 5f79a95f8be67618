// Progressive enhancement of the request form: the comuni follow the chosen province without a
// round trip. Without JavaScript the "Aggiorna l'elenco dei comuni" button does the same.
(function () {
  'use strict';
  function wire(provinciaId, comuneId, storici) {
    var provincia = document.getElementById(provinciaId);
    var comune = document.getElementById(comuneId);
    if (!provincia) return;
    provincia.addEventListener('change', function () {
      if (provincia.value === 'EE' || !comune) {
        document.querySelector('button[value="aggiorna"]').click();
        return;
      }
      var placeholder = comune.options[0] ? comune.options[0].text : '';
      fetch('/api/geo/comuni?provincia=' + encodeURIComponent(provincia.value) + (storici ? '&storici=1' : ''))
        .then(function (r) {
          return r.json();
        })
        .then(function (data) {
          comune.innerHTML = '';
          comune.add(new Option(placeholder, ''));
          data.comuni.forEach(function (c) {
            var label = c.validTo ? c.name + ' (' + (c.validFrom ? c.validFrom.slice(0, 4) : '') + '–' + c.validTo.slice(0, 4) + ')' : c.name;
            comune.add(new Option(label, c.belfiore));
          });
        })
        .catch(function () {
          /* the no-JS button still works */
        });
    });
  }
  wire('f-provinciaNascita', 'f-comuneNascita', true);
  wire('f-provinciaResidenza', 'f-comuneResidenza', false);
})();
