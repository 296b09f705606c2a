// Starts Swagger UI on /docs/try: this server's own OpenAPI document, "try it out" on, the
// bearer token kept while the page is open. A file of its own: the page policy allows no
// inline script.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    tryItOutEnabled: true,
    persistAuthorization: true,
    displayOperationId: true,
    validatorUrl: null,
  });
});
