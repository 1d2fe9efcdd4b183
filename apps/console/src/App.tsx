import { Navigate, Route, Routes } from 'react-router';
import { CustomerEditPage } from './customers/CustomerEditPage';
import { CustomerHistoryPage, SubscriptionHistoryPage } from './history/HistoryPage';
import { CustomerNewPage } from './customers/CustomerNewPage';
import { CustomerRecordPage } from './customers/CustomerRecordPage';
import { CustomerSearchPage } from './customers/CustomerSearchPage';
import { Layout } from './layout/Layout';
import { OperationsPage } from './operations/OperationsPage';
import { ReconciliationRunPage } from './reconciliation/ReconciliationRunPage';
import { ReconciliationRunsPage } from './reconciliation/ReconciliationRunsPage';
import { homeOf } from './session/capabilities';
import { RequireRole } from './session/RequireRole';
import { useSession } from './session/session';
import { SignInPage } from './session/SignInPage';
import { SubscriptionPage } from './subscriptions/SubscriptionPage';
import { SubscriptionSearchPage } from './subscriptions/SubscriptionSearchPage';
import { SubscriptionStartPage } from './subscriptions/SubscriptionStartPage';

export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route
          path="customers"
          element={
            <RequireRole capability="customers">
              <CustomerSearchPage />
            </RequireRole>
          }
        />
        <Route
          path="customers/new"
          element={
            <RequireRole capability="customers">
              <CustomerNewPage />
            </RequireRole>
          }
        />
        <Route
          path="customers/:id"
          element={
            <RequireRole capability="customers">
              <CustomerRecordPage />
            </RequireRole>
          }
        />
        <Route
          path="customers/:id/edit"
          element={
            <RequireRole capability="customers">
              <CustomerEditPage />
            </RequireRole>
          }
        />
        <Route
          path="customers/:id/history"
          element={
            <RequireRole capability="history">
              <CustomerHistoryPage />
            </RequireRole>
          }
        />
        <Route
          path="subscriptions"
          element={
            <RequireRole capability="subscriptions">
              <SubscriptionSearchPage />
            </RequireRole>
          }
        />
        <Route
          path="subscriptions/new"
          element={
            <RequireRole capability="subscriptions">
              <SubscriptionStartPage />
            </RequireRole>
          }
        />
        <Route
          path="subscriptions/:id"
          element={
            <RequireRole capability="subscriptions">
              <SubscriptionPage />
            </RequireRole>
          }
        />
        <Route
          path="subscriptions/:id/history"
          element={
            <RequireRole capability="history">
              <SubscriptionHistoryPage />
            </RequireRole>
          }
        />
        <Route
          path="reconciliation"
          element={
            <RequireRole capability="reconciliation">
              <ReconciliationRunsPage />
            </RequireRole>
          }
        />
        <Route
          path="reconciliation/:id"
          element={
            <RequireRole capability="reconciliation">
              <ReconciliationRunPage />
            </RequireRole>
          }
        />
        <Route
          path="operations"
          element={
            <RequireRole capability="operations">
              <OperationsPage />
            </RequireRole>
          }
        />
        <Route path="no-access" element={<NoAccess />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function Home() {
  const { principal } = useSession();
  return <Navigate to={principal ? homeOf(principal.role) : '/sign-in'} replace />;
}

function NoAccess() {
  const { principal } = useSession();
  if (!principal) return <Navigate to="/sign-in" replace />;
  return (
    <section className="card">
      <h1>Nothing here for your role</h1>
      <p>
        The key “{principal.name}” has role <strong>{principal.role}</strong>. The console serves the roles support,
        finance and admin; feed consumers use the API directly.
      </p>
    </section>
  );
}

function NotFound() {
  return (
    <section className="card">
      <h1>Page not found</h1>
    </section>
  );
}
