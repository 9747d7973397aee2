// Every operation the client sends, typed by graphql-codegen from ../schema.graphql.
import { graphql } from '../gql';

export const AuthFields = graphql(`
  fragment AuthFields on AuthPayload {
    accessToken
    refreshToken
    expiresIn
    user { id email }
  }
`);

export const SignupMutation = graphql(`
  mutation Signup($input: SignupInput!) { signup(input: $input) { ...AuthFields } }
`);

export const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) { login(input: $input) { ...AuthFields } }
`);

export const LogoutMutation = graphql(`
  mutation Logout($input: LogoutInput!) { logout(input: $input) }
`);

export const VerifyEmailMutation = graphql(`
  mutation VerifyEmail($input: VerifyEmailInput!) { verifyEmail(input: $input) }
`);

export const RequestPasswordResetMutation = graphql(`
  mutation RequestPasswordReset($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) }
`);

export const ResetPasswordMutation = graphql(`
  mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) }
`);

export const AcceptInvitationMutation = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ...AuthFields } }
`);

export const MeQuery = graphql(`
  query Me {
    me {
      id email name role isStaff
      account { id name status credits creditsHeld creditsAvailable plan { id name monthlyCredits } }
    }
  }
`);

export const SitesQuery = graphql(`
  query Sites {
    sites(first: 100) {
      totalCount
      nodes {
        id name slug domain isActive
        sectors(first: 20) { totalCount nodes { id name slug isActive } }
      }
    }
  }
`);

export const CreateSiteMutation = graphql(`
  mutation CreateSite($input: CreateSiteInput!) { createSite(input: $input) { id name slug domain isActive } }
`);
export const UpdateSiteMutation = graphql(`
  mutation UpdateSite($input: UpdateSiteInput!) { updateSite(input: $input) { id name slug domain isActive } }
`);
export const DeleteSiteMutation = graphql(`
  mutation DeleteSite($input: DeleteInput!) { deleteSite(input: $input) }
`);
export const CreateSectorMutation = graphql(`
  mutation CreateSector($input: CreateSectorInput!) { createSector(input: $input) { id name slug isActive } }
`);
export const UpdateSectorMutation = graphql(`
  mutation UpdateSector($input: UpdateSectorInput!) { updateSector(input: $input) { id name slug isActive } }
`);
export const DeleteSectorMutation = graphql(`
  mutation DeleteSector($input: DeleteInput!) { deleteSector(input: $input) }
`);

export const KeywordsQuery = graphql(`
  query Keywords($filter: KeywordFilter, $orderBy: [KeywordOrder!], $first: Int, $offset: Int) {
    keywords(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {
      totalCount
      nodes { id keyword volume difficulty intent status createdAt cluster { id name } }
    }
  }
`);
export const ExportKeywordsQuery = graphql(`
  query ExportKeywords($filter: KeywordFilter, $orderBy: [KeywordOrder!]) {
    exportKeywordsCsv(filter: $filter, orderBy: $orderBy)
  }
`);
export const CreateKeywordMutation = graphql(`
  mutation CreateKeyword($input: CreateKeywordInput!) { createKeyword(input: $input) { id keyword } }
`);
export const ImportKeywordsMutation = graphql(`
  mutation ImportKeywords($input: ImportKeywordsInput!) {
    importKeywords(input: $input) { created skipped errors { line message } ignoredColumns delimiter encoding }
  }
`);
export const BulkDeleteKeywordsMutation = graphql(`
  mutation BulkDeleteKeywords($input: IdsInput!) { bulkDeleteKeywords(input: $input) }
`);
export const BulkKeywordStatusMutation = graphql(`
  mutation BulkKeywordStatus($input: BulkUpdateKeywordStatusInput!) { bulkUpdateKeywordStatus(input: $input) }
`);

// --- the seed-keyword library (PLN-5, TEN-8) ---------------------------------------
export const IndustriesQuery = graphql(`
  query Industries { industries { id name sectors { id name } } }
`);
/** The industry the current sector (or else its site) follows: the library's default. */
export const SectorIndustryQuery = graphql(`
  query SectorIndustry($id: ID!) {
    sector(id: $id) {
      id name
      industrySector { id industry { id } }
      site { id industry { id } }
    }
  }
`);
export const SeedKeywordsQuery = graphql(`
  query SeedKeywords($filter: SeedKeywordFilter, $first: Int, $offset: Int) {
    seedKeywords(filter: $filter, first: $first, offset: $offset) {
      totalCount
      nodes { id keyword volume difficulty intent industrySector { id name } }
    }
  }
`);
/** The keyword texts of a sector, a page at a time: what the library marks "in the sector". */
export const SectorKeywordTextsQuery = graphql(`
  query SectorKeywordTexts($sectorId: ID!, $first: Int, $offset: Int) {
    keywords(filter: { sectorId: $sectorId }, first: $first, offset: $offset) {
      totalCount
      nodes { id keyword }
    }
  }
`);
export const AddSeedKeywordsMutation = graphql(`
  mutation AddSeedKeywords($input: AddSeedKeywordsInput!) { addSeedKeywords(input: $input) { created skipped } }
`);

export const JobFields = graphql(`
  fragment JobFields on AiJob {
    id kind function status phase percent itemsDone itemsTotal message error seq
    creditsHeld creditsCharged result createdAt startedAt finishedAt
    itemsSucceeded itemsFailed itemsCancelled items { id status error note }
  }
`);
export const AutoClusterMutation = graphql(`
  mutation AutoCluster($input: AutoClusterKeywordsInput!) { autoClusterKeywords(input: $input) { ...JobFields } }
`);
export const GenerateIdeasMutation = graphql(`
  mutation GenerateIdeas($input: GenerateIdeasInput!) { generateIdeas(input: $input) { ...JobFields } }
`);
export const GenerateContentMutation = graphql(`
  mutation GenerateContent($input: GenerateContentInput!) { generateContent(input: $input) { ...JobFields } }
`);
export const GenerateImagePromptsMutation = graphql(`
  mutation GenerateImagePrompts($input: GenerateImagePromptsInput!) { generateImagePrompts(input: $input) { ...JobFields } }
`);
export const GenerateImagesMutation = graphql(`
  mutation GenerateImages($input: GenerateImagesInput!) { generateImages(input: $input) { ...JobFields } }
`);
export const CancelJobMutation = graphql(`
  mutation CancelJob($input: CancelJobInput!) { cancelJob(input: $input) { ...JobFields } }
`);
export const JobsQuery = graphql(`
  query Jobs($filter: JobFilter, $first: Int, $offset: Int) {
    jobs(filter: $filter, first: $first, offset: $offset) { totalCount nodes { ...JobFields } }
  }
`);
export const AccountJobsSubscription = graphql(`
  subscription AccountJobs {
    accountJobs {
      jobId seq kind function status phase percent itemsDone itemsTotal message error
      itemsSucceeded itemsFailed itemsCancelled items { id status error note }
    }
  }
`);
export const RetryFailedItemsMutation = graphql(`
  mutation RetryFailedItems($input: RetryFailedItemsInput!) { retryFailedItems(input: $input) { ...JobFields } }
`);

export const ClustersQuery = graphql(`
  query Clusters($filter: ClusterFilter, $orderBy: [ClusterOrder!], $first: Int, $offset: Int) {
    clusters(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {
      totalCount
      nodes {
        id name description status keywordsCount volume createdAt
        ideas(first: 1) { totalCount }
      }
    }
  }
`);
export const ClusterKeywordsQuery = graphql(`
  query ClusterKeywords($id: ID!) {
    cluster(id: $id) {
      id name
      keywords(first: 200, orderBy: [{ field: VOLUME, direction: DESC }]) { totalCount nodes { id keyword volume difficulty } }
    }
  }
`);
export const CreateClusterMutation = graphql(`
  mutation CreateCluster($input: CreateClusterInput!) { createCluster(input: $input) { id name } }
`);
export const UpdateClusterMutation = graphql(`
  mutation UpdateCluster($input: UpdateClusterInput!) { updateCluster(input: $input) { id name description status } }
`);
export const DeleteClusterMutation = graphql(`
  mutation DeleteCluster($input: IdInput!) { deleteCluster(input: $input) }
`);
export const AddKeywordsToClusterMutation = graphql(`
  mutation AddKeywordsToCluster($input: ClusterKeywordsInput!) { addKeywordsToCluster(input: $input) { id keywordsCount volume } }
`);
export const RemoveKeywordsFromClusterMutation = graphql(`
  mutation RemoveKeywordsFromCluster($input: ClusterKeywordsInput!) { removeKeywordsFromCluster(input: $input) { id keywordsCount volume } }
`);

export const IdeasQuery = graphql(`
  query Ideas($filter: IdeaFilter, $orderBy: [IdeaOrder!], $first: Int, $offset: Int) {
    ideas(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {
      totalCount
      nodes {
        id title description contentType contentStructure estimatedWordCount status targetKeywords
        outline { sections { heading level notes targetKeywords } }
        cluster { id name }
        task { id }
      }
    }
  }
`);
export const QueueIdeasMutation = graphql(`
  mutation QueueIdeas($input: QueueIdeasToWriterInput!) { queueIdeasToWriter(input: $input) { id title status } }
`);
export const DeleteIdeaMutation = graphql(`
  mutation DeleteIdea($input: IdInput!) { deleteIdea(input: $input) }
`);

export const TasksQuery = graphql(`
  query Tasks($filter: TaskFilter, $orderBy: [TaskOrder!], $first: Int, $offset: Int) {
    tasks(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {
      totalCount
      nodes {
        id title status contentType contentStructure targetKeywords createdAt
        cluster { id name }
        content { id wordCount status }
      }
    }
  }
`);
export const BulkTaskStatusMutation = graphql(`
  mutation BulkTaskStatus($input: BulkUpdateTaskStatusInput!) { bulkUpdateTaskStatus(input: $input) }
`);
export const BulkDeleteTasksMutation = graphql(`
  mutation BulkDeleteTasks($input: IdsInput!) { bulkDeleteTasks(input: $input) }
`);

export const ContentsQuery = graphql(`
  query Contents($filter: ContentFilter, $orderBy: [ContentOrder!], $first: Int, $offset: Int) {
    contents(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {
      totalCount
      nodes {
        id wordCount status metaTitle primaryKeyword updatedAt
        task { id title }
        images(first: 1) { totalCount }
        publishing { wpPostId wpUrl wpStatus changedInWordPress lastError }
      }
    }
  }
`);
export const ContentQuery = graphql(`
  query Content($id: ID!) {
    content(id: $id) {
      id html wordCount status metaTitle metaDescription primaryKeyword secondaryKeywords wpPostId updatedAt
      publishing { wpPostId wpUrl wpStatus publishedAt changedInWordPress lastError }
      task { id title }
      images(first: 20, orderBy: [{ field: POSITION, direction: ASC }]) {
        totalCount
        nodes { id imageType prompt url status position }
      }
    }
  }
`);
export const UpdateContentMutation = graphql(`
  mutation UpdateContent($input: UpdateContentInput!) {
    updateContent(input: $input) {
      id html wordCount status metaTitle metaDescription primaryKeyword secondaryKeywords updatedAt
    }
  }
`);

export const ImagesQuery = graphql(`
  query Images($filter: ImageFilter, $orderBy: [ImageOrder!], $first: Int, $offset: Int) {
    images(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {
      totalCount
      nodes { id imageType prompt url status position content { id metaTitle } task { id title } }
    }
  }
`);

export const CreditTransactionsQuery = graphql(`
  query CreditTransactions($filter: CreditHistoryFilter, $first: Int, $offset: Int) {
    creditTransactions(filter: $filter, first: $first, offset: $offset) {
      totalCount
      nodes { id kind amount balanceAfter description reference createdAt }
    }
  }
`);
export const CreditUsageQuery = graphql(`
  query CreditUsage($filter: CreditHistoryFilter, $first: Int, $offset: Int) {
    creditUsage(filter: $filter, first: $first, offset: $offset) {
      totalCount
      nodes { id jobId operation credits model tokensIn tokensOut costUsd relatedType createdAt }
    }
    creditUsageTotals(filter: $filter) {
      credits jobs
      byOperation { operation credits jobs }
      bySite { siteId credits jobs }
    }
  }
`);

export const UsersQuery = graphql(`
  query Users {
    users(first: 100) {
      totalCount
      nodes { id email name role isActive grantedSites { id name } }
    }
  }
`);
export const CreateUserMutation = graphql(`
  mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { id email role } }
`);
export const UpdateUserRoleMutation = graphql(`
  mutation UpdateUserRole($input: UpdateUserRoleInput!) { updateUserRole(input: $input) { id role } }
`);
export const GrantSiteAccessMutation = graphql(`
  mutation GrantSiteAccess($input: SiteAccessInput!) { grantSiteAccess(input: $input) { id grantedSites { id name } } }
`);
export const RevokeSiteAccessMutation = graphql(`
  mutation RevokeSiteAccess($input: SiteAccessInput!) { revokeSiteAccess(input: $input) { id grantedSites { id name } } }
`);
export const RemoveUserMutation = graphql(`
  mutation RemoveUser($input: RemoveUserInput!) { removeUser(input: $input) }
`);

export const JobQuery = graphql(`
  query Job($id: ID!) { job(id: $id) { ...JobFields } }
`);

export const IntegrationFields = graphql(`
  fragment IntegrationFields on IntegrationSettings {
    textProvider imageProvider textProviderOverride imageProviderOverride
    openaiBaseUrl openaiBaseUrlOverride
    openaiKey { source hint }
    runwareKey { source hint }
    models { function model isOverride }
    updatedAt
  }
`);
export const IntegrationSettingsQuery = graphql(`
  query IntegrationSettings { integrationSettings { ...IntegrationFields } }
`);
export const UpdateIntegrationSettingsMutation = graphql(`
  mutation UpdateIntegrationSettings($input: UpdateIntegrationSettingsInput!) {
    updateIntegrationSettings(input: $input) { ...IntegrationFields }
  }
`);
export const TestIntegrationMutation = graphql(`
  mutation TestIntegration { testIntegration { ok provider message models latencyMs } }
`);
export const TestImageGenerationMutation = graphql(`
  mutation TestImageGeneration($input: TestImageGenerationInput) {
    testImageGeneration(input: $input) { ok provider model message contentType bytes dataUrl latencyMs }
  }
`);

export const PromptsQuery = graphql(`
  query Prompts { prompts { function template isCustom defaultTemplate placeholders updatedAt } }
`);
export const SavePromptMutation = graphql(`
  mutation SavePrompt($input: SavePromptInput!) {
    savePrompt(input: $input) { function template isCustom defaultTemplate placeholders updatedAt }
  }
`);
export const ResetPromptMutation = graphql(`
  mutation ResetPrompt($input: ResetPromptInput!) {
    resetPrompt(input: $input) { function template isCustom defaultTemplate placeholders updatedAt }
  }
`);

export const AuthorProfilesQuery = graphql(`
  query AuthorProfiles {
    authorProfiles(first: 100) { totalCount nodes { id name description tone language createdAt updatedAt } }
  }
`);
export const CreateAuthorProfileMutation = graphql(`
  mutation CreateAuthorProfile($input: CreateAuthorProfileInput!) {
    createAuthorProfile(input: $input) { id name description tone language createdAt updatedAt }
  }
`);
export const UpdateAuthorProfileMutation = graphql(`
  mutation UpdateAuthorProfile($input: UpdateAuthorProfileInput!) {
    updateAuthorProfile(input: $input) { id name description tone language createdAt updatedAt }
  }
`);
export const DeleteAuthorProfileMutation = graphql(`
  mutation DeleteAuthorProfile($input: IdInput!) { deleteAuthorProfile(input: $input) }
`);

export const StrategyFields = graphql(`
  fragment StrategyFields on Strategy {
    id name description sector { id name slug } promptTypes sectionLogic isActive createdAt updatedAt
  }
`);
export const StrategiesQuery = graphql(`
  query Strategies { strategies(first: 100) { totalCount nodes { ...StrategyFields } } }
`);
export const CreateStrategyMutation = graphql(`
  mutation CreateStrategy($input: CreateStrategyInput!) { createStrategy(input: $input) { ...StrategyFields } }
`);
export const UpdateStrategyMutation = graphql(`
  mutation UpdateStrategy($input: UpdateStrategyInput!) { updateStrategy(input: $input) { ...StrategyFields } }
`);
export const DeleteStrategyMutation = graphql(`
  mutation DeleteStrategy($input: IdInput!) { deleteStrategy(input: $input) }
`);

export const WordPressFields = graphql(`
  fragment WordPressFields on WordPressConnection {
    siteId url username passwordHint status lastCheckedAt lastError hasBridgePlugin webhookPath webhookSecret
  }
`);
export const SiteWordPressQuery = graphql(`
  query SiteWordPress($id: ID!) { site(id: $id) { id wordpress { ...WordPressFields } } }
`);
export const ConnectWordPressMutation = graphql(`
  mutation ConnectWordPress($input: ConnectWordPressInput!) { connectWordPress(input: $input) { ...WordPressFields } }
`);
export const DisconnectWordPressMutation = graphql(`
  mutation DisconnectWordPress($input: SiteIdInput!) { disconnectWordPress(input: $input) }
`);
export const TestWordPressConnectionMutation = graphql(`
  mutation TestWordPressConnection($input: SiteIdInput!) { testWordPressConnection(input: $input) { ok message } }
`);
export const PublishContentMutation = graphql(`
  mutation PublishContent($input: PublishContentInput!) { publishContent(input: $input) { ...JobFields } }
`);
export const SyncWordPressMutation = graphql(`
  mutation SyncWordPress($input: SiteIdInput!) { syncWordPress(input: $input) { ...JobFields } }
`);

// ---- automation (AUT-1, AUT-2) ----

export const AutomationRunFields = graphql(`
  fragment AutomationRunFields on AutomationRun {
    id siteId status stage stageNumber pauseReason message trigger creditsSpent creditCap currentJobId
    nextBatchAt seq createdAt finishedAt
    stages { stage number status itemsIn done skipped failed remaining percent creditsSpent jobs
      issues { itemId outcome message } }
  }
`);

export const AutomationPageQuery = graphql(`
  query AutomationPage($siteId: ID!) {
    automationOverview(siteId: $siteId) {
      siteId estimatedCredits creditsAvailable
      stages { stage number enabled pending estimatedCredits }
      activeRun { ...AutomationRunFields }
    }
    automationConfig(siteId: $siteId) {
      siteId enabled publishMode publishingAvailable publishDelayMinutes creditCap imagesPerArticle delaySeconds
      updatedAt
      stages { stage number enabled batchSize maxBatchSize }
      schedule { frequency cron timeZone nextRunAt }
    }
    automationRuns(siteId: $siteId, first: 10) { totalCount nodes { ...AutomationRunFields } }
    automationRules(siteId: $siteId) {
      id name enabled trigger minPending actionStage maxExecutionsPerDay creditLimitPerExecution executionsToday
      executions { id outcome message createdAt runId }
    }
  }
`);

export const StartAutomationRunMutation = graphql(`
  mutation StartAutomationRun($input: StartAutomationRunInput!) { startAutomationRun(input: $input) { ...AutomationRunFields } }
`);
export const PauseAutomationRunMutation = graphql(`
  mutation PauseAutomationRun($input: AutomationRunInput!) { pauseAutomationRun(input: $input) { ...AutomationRunFields } }
`);
export const ResumeAutomationRunMutation = graphql(`
  mutation ResumeAutomationRun($input: AutomationRunInput!) { resumeAutomationRun(input: $input) { ...AutomationRunFields } }
`);
export const CancelAutomationRunMutation = graphql(`
  mutation CancelAutomationRun($input: AutomationRunInput!) { cancelAutomationRun(input: $input) { ...AutomationRunFields } }
`);

export const UpdateAutomationConfigMutation = graphql(`
  mutation UpdateAutomationConfig($input: UpdateAutomationConfigInput!) {
    updateAutomationConfig(input: $input) {
      siteId enabled publishMode publishingAvailable publishDelayMinutes creditCap imagesPerArticle delaySeconds updatedAt
      stages { stage number enabled batchSize maxBatchSize }
      schedule { frequency cron timeZone nextRunAt }
    }
  }
`);

export const AutomationRunProgressSubscription = graphql(`
  subscription AutomationRunProgress($runId: ID!) {
    automationRunProgress(runId: $runId) {
      runId seq stagePercent
      run { ...AutomationRunFields }
      currentJob { jobId seq phase percent message }
    }
  }
`);

export const CreateAutomationRuleMutation = graphql(`
  mutation CreateAutomationRule($input: CreateAutomationRuleInput!) { createAutomationRule(input: $input) { id } }
`);
export const UpdateAutomationRuleMutation = graphql(`
  mutation UpdateAutomationRule($input: UpdateAutomationRuleInput!) { updateAutomationRule(input: $input) { id enabled } }
`);
export const DeleteAutomationRuleMutation = graphql(`
  mutation DeleteAutomationRule($input: IdInput!) { deleteAutomationRule(input: $input) }
`);

export const BillingQuery = graphql(`
  query Billing($from: DateTime, $to: DateTime) {
    account {
      id credits planCredits purchasedCredits creditsHeld creditsAvailable periodEndsAt
      plan { id slug name monthlyCredits priceCents currency billingCycle }
      limits { limit max usage }
    }
    usage(from: $from, to: $to, groupBy: DAY) {
      credits
      points { start credits byFunction { function credits } }
    }
    plans { id slug name monthlyCredits priceCents currency billingCycle limits { limit max } }
  }
`);

export const AdminAccountsQuery = graphql(`
  query AdminAccounts($search: String, $first: Int, $offset: Int) {
    adminAccounts(search: $search, first: $first, offset: $offset) {
      totalCount
      edges {
        node {
          id name slug status ownerEmail credits planCredits purchasedCredits creditsHeld periodEndsAt
          plan { id slug name }
          usage { creditsThisPeriod creditsTotal sites users }
        }
      }
    }
    plans { id slug name }
  }
`);

export const AdminAdjustCreditsMutation = graphql(`
  mutation AdminAdjustCredits($input: AdminAdjustCreditsInput!) {
    adminAdjustCredits(input: $input) { account { id credits planCredits purchasedCredits } transaction { id amount } }
  }
`);

export const AdminSetPlanMutation = graphql(`
  mutation AdminSetPlan($input: AdminSetPlanInput!) { adminSetPlan(input: $input) { account { id plan { id slug name } } } }
`);

export const AdminSetAccountStatusMutation = graphql(`
  mutation AdminSetAccountStatus($input: AdminSetAccountStatusInput!) { adminSetAccountStatus(input: $input) { account { id status } } }
`);

export const AdminAuditLogQuery = graphql(`
  query AdminAuditLog($accountId: ID, $first: Int, $offset: Int) {
    adminAuditLog(accountId: $accountId, first: $first, offset: $offset) {
      totalCount
      edges { node { id accountId actorEmail action reason before after createdAt } }
    }
  }
`);
