// The BTS station map (Leaflet, vendored). No inline script: the page gives the points URL,
// the optional tile server and the texts in data-* attributes; the points come as JSON.
// Without a tile server the stations are drawn on a plain latitude/longitude grid (offline).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var element = document.getElementById("bts-map");
  if (!element || !window.L) { return; }
  var status = document.getElementById("bts-map-status");
  var tileUrl = element.dataset.tileUrl;
  var map = L.map(element, { zoomSnap: 0.5 });
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(map);
  }
  var colours = { planned: "#6c757d", permitted: "#0d6efd", on_air: "#198754", dismantled: "#dc3545" };

  function drawGrid(bounds) {
    // A graticule every 0.1 degree over the shown area, so positions can still be read.
    var grid = L.layerGroup().addTo(map);
    var south = Math.floor(bounds.getSouth() * 10) / 10 - 0.5;
    var north = Math.ceil(bounds.getNorth() * 10) / 10 + 0.5;
    var west = Math.floor(bounds.getWest() * 10) / 10 - 0.5;
    var east = Math.ceil(bounds.getEast() * 10) / 10 + 0.5;
    var style = { color: "#adb5bd", weight: 1, interactive: false };
    var view = map.getBounds();
    function label(latlng, text, direction) {
      L.tooltip({ permanent: true, direction: direction, className: "registry-grid-label", interactive: false })
        .setLatLng(latlng).setContent(text).addTo(map);
    }
    for (var lat = south; lat <= north + 1e-9; lat += 0.1) {
      L.polyline([[lat, west], [lat, east]], style).addTo(grid);
      if (lat > view.getSouth() && lat < view.getNorth()) {
        label([lat, view.getWest()], lat.toFixed(1) + "°N", "right");
      }
    }
    for (var lon = west; lon <= east + 1e-9; lon += 0.1) {
      L.polyline([[south, lon], [north, lon]], style).addTo(grid);
      if (lon > view.getWest() && lon < view.getEast()) {
        label([view.getSouth(), lon], lon.toFixed(1) + "°E", "top");
      }
    }
  }

  fetch(element.dataset.pointsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var layer = L.featureGroup();
      data.points.forEach(function (point) {
        var marker = L.circleMarker([point.lat, point.lon], {
          radius: 6, weight: 1, color: "#212529", fillOpacity: 0.85,
          fillColor: colours[point.status] || "#0d6efd"
        });
        var link = document.createElement("a");
        link.href = point.url;
        link.textContent = point.label;
        marker.bindPopup(link);
        marker.bindTooltip(point.label);
        layer.addLayer(marker);
      });
      layer.addTo(map);
      if (data.points.length) {
        map.fitBounds(layer.getBounds().pad(0.1), { maxZoom: 14 });
      } else {
        map.setView([21.27, 106.19], 9);
      }
      if (!tileUrl) { drawGrid(map.getBounds()); }
      if (status) {
        status.textContent = data.points.length
          ? element.dataset.countText.replace("__N__", String(data.points.length))
          : element.dataset.emptyText;
      }
      element.dataset.loaded = String(data.points.length);
    })
    .catch(function () {
      if (status) { status.textContent = element.dataset.errorText; }
    });
});
