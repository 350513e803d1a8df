// Starts the vendored GraphiQL on #graphiql: queries go to POST /graphql on this origin.
(function () {
  "use strict";
  var root = document.getElementById("graphiql");
  var endpoint = root.dataset.endpoint;

  function fetcher(params, options) {
    var headers = { "Content-Type": "application/json", Accept: "application/json" };
    var extra = (options && options.headers) || {};
    Object.keys(extra).forEach(function (name) {
      headers[name] = extra[name];
    });
    return fetch(endpoint, {
      method: "POST",
      headers: headers,
      body: JSON.stringify(params),
      credentials: "same-origin",
    }).then(function (response) {
      return response.json();
    });
  }

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: root.dataset.defaultQuery,
    })
  );
})();
