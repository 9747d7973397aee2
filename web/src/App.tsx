import { BillingPage } from './pages/Billing';
import { StaffAccountsPage, StaffAuditPage } from './pages/Staff';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/Layout';
import { AuthPage } from './pages/Auth';
import { AcceptInvitationPage, ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage } from './pages/Links';
import { SitesPage } from './pages/Sites';
import { KeywordsPage } from './pages/Keywords';
import { SeedLibraryPage } from './pages/SeedLibrary';
import { ClustersPage } from './pages/Clusters';
import { IdeasPage } from './pages/Ideas';
import { TasksPage } from './pages/Tasks';
import { ContentEditorPage, ContentListPage } from './pages/Content';
import { ImagesPage } from './pages/Images';
import { JobsPage } from './pages/Jobs';
import { CreditsPage, UsagePage } from './pages/Credits';
import { SettingsPage } from './pages/Settings';
import { AuthorsPage } from './pages/Authors';
import { IntegrationsPage } from './pages/Integrations';
import { PromptsPage } from './pages/Prompts';
import { StrategiesPage } from './pages/Strategies';
import { AutomationPage } from './pages/Automation';
import { JobsProvider, useSession, WorkspaceProvider } from './state';

function SignedIn() {
  const { session } = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/signin" replace state={{ from: location.pathname }} />;
  return (
    <WorkspaceProvider>
      <JobsProvider>
        <Layout />
      </JobsProvider>
    </WorkspaceProvider>
  );
}

export function App() {
  const { session } = useSession();
  const location = useLocation();
  // signing in re-renders these routes: a new account starts with its sites, a
  // returning user goes back to where the sign-in sent them from
  const back = (location.state as { from?: string } | null)?.from ?? '/';
  return (
    <Routes>
      <Route path="/signin" element={session ? <Navigate to={back} replace /> : <AuthPage mode="signin" />} />
      <Route path="/signup" element={session ? <Navigate to="/sites" replace /> : <AuthPage mode="signup" />} />
      {/* mailed links work signed in or not */}
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route path="/verify-email" element={<VerifyEmailPage />} />
      <Route path="/accept-invitation" element={<AcceptInvitationPage />} />
      <Route element={<SignedIn />}>
        <Route index element={<Navigate to="/planner/keywords" replace />} />
        <Route path="sites" element={<SitesPage />} />
        <Route path="planner/keywords" element={<KeywordsPage />} />
        <Route path="planner/seeds" element={<SeedLibraryPage />} />
        <Route path="planner/clusters" element={<ClustersPage />} />
        <Route path="planner/ideas" element={<IdeasPage />} />
        <Route path="writer/tasks" element={<TasksPage />} />
        <Route path="writer/content" element={<ContentListPage />} />
        <Route path="writer/content/:id" element={<ContentEditorPage />} />
        <Route path="writer/images" element={<ImagesPage />} />
        <Route path="automation" element={<AutomationPage />} />
        <Route path="jobs" element={<JobsPage />} />
        <Route path="credits" element={<CreditsPage />} />
        <Route path="credits/usage" element={<UsagePage />} />
        <Route path="billing" element={<BillingPage />} />
        <Route path="staff/accounts" element={<StaffAccountsPage />} />
        <Route path="staff/audit" element={<StaffAuditPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="settings/integrations" element={<IntegrationsPage />} />
        <Route path="settings/prompts" element={<PromptsPage />} />
        <Route path="settings/authors" element={<AuthorsPage />} />
        <Route path="settings/strategies" element={<StrategiesPage />} />
        <Route path="*" element={<p>Page not found.</p>} />
      </Route>
    </Routes>
  );
}
