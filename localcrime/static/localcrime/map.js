// Draw the force's schools with Leaflet: a circle per school coloured by tier and sized by
// pupils, with a shaded ring of the force's radius as dark as the crime near it. Tiles only
// when a tile server is set; otherwise the points sit on a plain background and nothing is
// fetched. The table beside the map holds the same figures.
(function () {
  "use strict";
  document.querySelectorAll(".app-map-legend__swatch[data-colour]").forEach(function (swatch) {
    swatch.style.backgroundColor = swatch.getAttribute("data-colour");
  });
  var box = document.getElementById("local-crime-map");
  if (!box || !window.L) return;
  var data = JSON.parse(document.getElementById(box.getAttribute("data-map-source")).textContent);
  var map = window.L.map(box, { scrollWheelZoom: false, attributionControl: Boolean(data.tiles) });
  if (data.tiles) {
    window.L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 18 }).addTo(map);
  }
  var most = Math.max.apply(null, [1].concat(data.points.map(function (p) { return p.near; })));
  var bounds = [];
  data.points.forEach(function (point) {
    var where = [point.lat, point.lon];
    bounds.push(where);
    window.L.circle(where, {
      radius: data.radius_m, stroke: false, fillColor: "#d4351c", fillOpacity: 0.08 + 0.5 * (point.near / most), interactive: false,
    }).addTo(map);
    window.L.circleMarker(where, {
      radius: 4 + Math.sqrt(point.pupils || 0) / 4, color: "#0b0c0c", weight: 1, fillColor: point.colour, fillOpacity: 0.9,
    }).bindPopup(function () {
      var text = document.createElement("div");
      var link = document.createElement("a");
      link.href = point.url + "#local-crime";
      link.textContent = point.name;
      text.appendChild(link);
      text.appendChild(document.createElement("br"));
      text.appendChild(document.createTextNode(point.tier + ", " + point.pupils + " pupils, " + point.near + " near"));
      return text;
    }).addTo(map);
  });
  if (bounds.length) {
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
  } else {
    map.setView([52.5, -1.5], 6);
  }
})();
