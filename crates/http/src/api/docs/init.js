// Starts Swagger UI on /docs/try: this server's own OpenAPI document, "try it out" on, the
// bearer token kept in the page only (never in the browser's storage: a token left behind on
// a shared machine outlives the page). A file of its own: the page policy allows no inline
// script.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    tryItOutEnabled: true,
    persistAuthorization: false,
    displayOperationId: true,
    validatorUrl: null,
  });
});
