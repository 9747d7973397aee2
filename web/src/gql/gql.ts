/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment AuthFields on AuthPayload {\n    accessToken\n    refreshToken\n    expiresIn\n    user { id email }\n  }\n": typeof types.AuthFieldsFragmentDoc,
    "\n  mutation Signup($input: SignupInput!) { signup(input: $input) { ...AuthFields } }\n": typeof types.SignupDocument,
    "\n  mutation Login($input: LoginInput!) { login(input: $input) { ...AuthFields } }\n": typeof types.LoginDocument,
    "\n  mutation Logout($input: LogoutInput!) { logout(input: $input) }\n": typeof types.LogoutDocument,
    "\n  mutation VerifyEmail($input: VerifyEmailInput!) { verifyEmail(input: $input) }\n": typeof types.VerifyEmailDocument,
    "\n  mutation RequestPasswordReset($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) }\n": typeof types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) }\n": typeof types.ResetPasswordDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ...AuthFields } }\n": typeof types.AcceptInvitationDocument,
    "\n  query Me {\n    me {\n      id email name role isStaff\n      account { id name status credits creditsHeld creditsAvailable plan { id name monthlyCredits } }\n    }\n  }\n": typeof types.MeDocument,
    "\n  query Sites {\n    sites(first: 100) {\n      totalCount\n      nodes {\n        id name slug domain isActive\n        sectors(first: 20) { totalCount nodes { id name slug isActive } }\n      }\n    }\n  }\n": typeof types.SitesDocument,
    "\n  mutation CreateSite($input: CreateSiteInput!) { createSite(input: $input) { id name slug domain isActive } }\n": typeof types.CreateSiteDocument,
    "\n  mutation UpdateSite($input: UpdateSiteInput!) { updateSite(input: $input) { id name slug domain isActive } }\n": typeof types.UpdateSiteDocument,
    "\n  mutation DeleteSite($input: DeleteInput!) { deleteSite(input: $input) }\n": typeof types.DeleteSiteDocument,
    "\n  mutation CreateSector($input: CreateSectorInput!) { createSector(input: $input) { id name slug isActive } }\n": typeof types.CreateSectorDocument,
    "\n  mutation UpdateSector($input: UpdateSectorInput!) { updateSector(input: $input) { id name slug isActive } }\n": typeof types.UpdateSectorDocument,
    "\n  mutation DeleteSector($input: DeleteInput!) { deleteSector(input: $input) }\n": typeof types.DeleteSectorDocument,
    "\n  query Keywords($filter: KeywordFilter, $orderBy: [KeywordOrder!], $first: Int, $offset: Int) {\n    keywords(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes { id keyword volume difficulty intent status createdAt cluster { id name } }\n    }\n  }\n": typeof types.KeywordsDocument,
    "\n  query ExportKeywords($filter: KeywordFilter, $orderBy: [KeywordOrder!]) {\n    exportKeywordsCsv(filter: $filter, orderBy: $orderBy)\n  }\n": typeof types.ExportKeywordsDocument,
    "\n  mutation CreateKeyword($input: CreateKeywordInput!) { createKeyword(input: $input) { id keyword } }\n": typeof types.CreateKeywordDocument,
    "\n  mutation ImportKeywords($input: ImportKeywordsInput!) {\n    importKeywords(input: $input) { created skipped errors { line message } ignoredColumns delimiter encoding }\n  }\n": typeof types.ImportKeywordsDocument,
    "\n  mutation BulkDeleteKeywords($input: IdsInput!) { bulkDeleteKeywords(input: $input) }\n": typeof types.BulkDeleteKeywordsDocument,
    "\n  mutation BulkKeywordStatus($input: BulkUpdateKeywordStatusInput!) { bulkUpdateKeywordStatus(input: $input) }\n": typeof types.BulkKeywordStatusDocument,
    "\n  query Industries { industries { id name sectors { id name } } }\n": typeof types.IndustriesDocument,
    "\n  query SectorIndustry($id: ID!) {\n    sector(id: $id) {\n      id name\n      industrySector { id industry { id } }\n      site { id industry { id } }\n    }\n  }\n": typeof types.SectorIndustryDocument,
    "\n  query SeedKeywords($filter: SeedKeywordFilter, $first: Int, $offset: Int) {\n    seedKeywords(filter: $filter, first: $first, offset: $offset) {\n      totalCount\n      nodes { id keyword volume difficulty intent industrySector { id name } }\n    }\n  }\n": typeof types.SeedKeywordsDocument,
    "\n  query SectorKeywordTexts($sectorId: ID!, $first: Int, $offset: Int) {\n    keywords(filter: { sectorId: $sectorId }, first: $first, offset: $offset) {\n      totalCount\n      nodes { id keyword }\n    }\n  }\n": typeof types.SectorKeywordTextsDocument,
    "\n  mutation AddSeedKeywords($input: AddSeedKeywordsInput!) { addSeedKeywords(input: $input) { created skipped } }\n": typeof types.AddSeedKeywordsDocument,
    "\n  fragment JobFields on AiJob {\n    id kind function status phase percent itemsDone itemsTotal message error seq\n    creditsHeld creditsCharged result createdAt startedAt finishedAt\n    itemsSucceeded itemsFailed itemsCancelled items { id status error note }\n  }\n": typeof types.JobFieldsFragmentDoc,
    "\n  mutation AutoCluster($input: AutoClusterKeywordsInput!) { autoClusterKeywords(input: $input) { ...JobFields } }\n": typeof types.AutoClusterDocument,
    "\n  mutation GenerateIdeas($input: GenerateIdeasInput!) { generateIdeas(input: $input) { ...JobFields } }\n": typeof types.GenerateIdeasDocument,
    "\n  mutation GenerateContent($input: GenerateContentInput!) { generateContent(input: $input) { ...JobFields } }\n": typeof types.GenerateContentDocument,
    "\n  mutation GenerateImagePrompts($input: GenerateImagePromptsInput!) { generateImagePrompts(input: $input) { ...JobFields } }\n": typeof types.GenerateImagePromptsDocument,
    "\n  mutation GenerateImages($input: GenerateImagesInput!) { generateImages(input: $input) { ...JobFields } }\n": typeof types.GenerateImagesDocument,
    "\n  mutation CancelJob($input: CancelJobInput!) { cancelJob(input: $input) { ...JobFields } }\n": typeof types.CancelJobDocument,
    "\n  query Jobs($filter: JobFilter, $first: Int, $offset: Int) {\n    jobs(filter: $filter, first: $first, offset: $offset) { totalCount nodes { ...JobFields } }\n  }\n": typeof types.JobsDocument,
    "\n  subscription AccountJobs {\n    accountJobs {\n      jobId seq kind function status phase percent itemsDone itemsTotal message error\n      itemsSucceeded itemsFailed itemsCancelled items { id status error note }\n    }\n  }\n": typeof types.AccountJobsDocument,
    "\n  mutation RetryFailedItems($input: RetryFailedItemsInput!) { retryFailedItems(input: $input) { ...JobFields } }\n": typeof types.RetryFailedItemsDocument,
    "\n  query Clusters($filter: ClusterFilter, $orderBy: [ClusterOrder!], $first: Int, $offset: Int) {\n    clusters(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes {\n        id name description status keywordsCount volume createdAt\n        ideas(first: 1) { totalCount }\n      }\n    }\n  }\n": typeof types.ClustersDocument,
    "\n  query ClusterKeywords($id: ID!) {\n    cluster(id: $id) {\n      id name\n      keywords(first: 200, orderBy: [{ field: VOLUME, direction: DESC }]) { totalCount nodes { id keyword volume difficulty } }\n    }\n  }\n": typeof types.ClusterKeywordsDocument,
    "\n  mutation CreateCluster($input: CreateClusterInput!) { createCluster(input: $input) { id name } }\n": typeof types.CreateClusterDocument,
    "\n  mutation UpdateCluster($input: UpdateClusterInput!) { updateCluster(input: $input) { id name description status } }\n": typeof types.UpdateClusterDocument,
    "\n  mutation DeleteCluster($input: IdInput!) { deleteCluster(input: $input) }\n": typeof types.DeleteClusterDocument,
    "\n  mutation AddKeywordsToCluster($input: ClusterKeywordsInput!) { addKeywordsToCluster(input: $input) { id keywordsCount volume } }\n": typeof types.AddKeywordsToClusterDocument,
    "\n  mutation RemoveKeywordsFromCluster($input: ClusterKeywordsInput!) { removeKeywordsFromCluster(input: $input) { id keywordsCount volume } }\n": typeof types.RemoveKeywordsFromClusterDocument,
    "\n  query Ideas($filter: IdeaFilter, $orderBy: [IdeaOrder!], $first: Int, $offset: Int) {\n    ideas(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes {\n        id title description contentType contentStructure estimatedWordCount status targetKeywords\n        outline { sections { heading level notes targetKeywords } }\n        cluster { id name }\n        task { id }\n      }\n    }\n  }\n": typeof types.IdeasDocument,
    "\n  mutation QueueIdeas($input: QueueIdeasToWriterInput!) { queueIdeasToWriter(input: $input) { id title status } }\n": typeof types.QueueIdeasDocument,
    "\n  mutation DeleteIdea($input: IdInput!) { deleteIdea(input: $input) }\n": typeof types.DeleteIdeaDocument,
    "\n  query Tasks($filter: TaskFilter, $orderBy: [TaskOrder!], $first: Int, $offset: Int) {\n    tasks(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes {\n        id title status contentType contentStructure targetKeywords createdAt\n        cluster { id name }\n        content { id wordCount status }\n      }\n    }\n  }\n": typeof types.TasksDocument,
    "\n  mutation BulkTaskStatus($input: BulkUpdateTaskStatusInput!) { bulkUpdateTaskStatus(input: $input) }\n": typeof types.BulkTaskStatusDocument,
    "\n  mutation BulkDeleteTasks($input: IdsInput!) { bulkDeleteTasks(input: $input) }\n": typeof types.BulkDeleteTasksDocument,
    "\n  query Contents($filter: ContentFilter, $orderBy: [ContentOrder!], $first: Int, $offset: Int) {\n    contents(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes {\n        id wordCount status metaTitle primaryKeyword updatedAt\n        task { id title }\n        images(first: 1) { totalCount }\n        publishing { wpPostId wpUrl wpStatus changedInWordPress lastError }\n      }\n    }\n  }\n": typeof types.ContentsDocument,
    "\n  query Content($id: ID!) {\n    content(id: $id) {\n      id html wordCount status metaTitle metaDescription primaryKeyword secondaryKeywords wpPostId updatedAt\n      publishing { wpPostId wpUrl wpStatus publishedAt changedInWordPress lastError }\n      task { id title }\n      images(first: 20, orderBy: [{ field: POSITION, direction: ASC }]) {\n        totalCount\n        nodes { id imageType prompt url status position }\n      }\n    }\n  }\n": typeof types.ContentDocument,
    "\n  mutation UpdateContent($input: UpdateContentInput!) {\n    updateContent(input: $input) {\n      id html wordCount status metaTitle metaDescription primaryKeyword secondaryKeywords updatedAt\n    }\n  }\n": typeof types.UpdateContentDocument,
    "\n  query Images($filter: ImageFilter, $orderBy: [ImageOrder!], $first: Int, $offset: Int) {\n    images(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes { id imageType prompt url status position content { id metaTitle } task { id title } }\n    }\n  }\n": typeof types.ImagesDocument,
    "\n  query CreditTransactions($filter: CreditHistoryFilter, $first: Int, $offset: Int) {\n    creditTransactions(filter: $filter, first: $first, offset: $offset) {\n      totalCount\n      nodes { id kind amount balanceAfter description reference createdAt }\n    }\n  }\n": typeof types.CreditTransactionsDocument,
    "\n  query CreditUsage($filter: CreditHistoryFilter, $first: Int, $offset: Int) {\n    creditUsage(filter: $filter, first: $first, offset: $offset) {\n      totalCount\n      nodes { id jobId operation credits model tokensIn tokensOut costUsd relatedType createdAt }\n    }\n    creditUsageTotals(filter: $filter) {\n      credits jobs\n      byOperation { operation credits jobs }\n      bySite { siteId credits jobs }\n    }\n  }\n": typeof types.CreditUsageDocument,
    "\n  query Users {\n    users(first: 100) {\n      totalCount\n      nodes { id email name role isActive grantedSites { id name } }\n    }\n  }\n": typeof types.UsersDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { id email role } }\n": typeof types.CreateUserDocument,
    "\n  mutation UpdateUserRole($input: UpdateUserRoleInput!) { updateUserRole(input: $input) { id role } }\n": typeof types.UpdateUserRoleDocument,
    "\n  mutation GrantSiteAccess($input: SiteAccessInput!) { grantSiteAccess(input: $input) { id grantedSites { id name } } }\n": typeof types.GrantSiteAccessDocument,
    "\n  mutation RevokeSiteAccess($input: SiteAccessInput!) { revokeSiteAccess(input: $input) { id grantedSites { id name } } }\n": typeof types.RevokeSiteAccessDocument,
    "\n  mutation RemoveUser($input: RemoveUserInput!) { removeUser(input: $input) }\n": typeof types.RemoveUserDocument,
    "\n  query Job($id: ID!) { job(id: $id) { ...JobFields } }\n": typeof types.JobDocument,
    "\n  fragment IntegrationFields on IntegrationSettings {\n    textProvider imageProvider textProviderOverride imageProviderOverride\n    openaiBaseUrl openaiBaseUrlOverride\n    openaiKey { source hint }\n    runwareKey { source hint }\n    models { function model isOverride }\n    updatedAt\n  }\n": typeof types.IntegrationFieldsFragmentDoc,
    "\n  query IntegrationSettings { integrationSettings { ...IntegrationFields } }\n": typeof types.IntegrationSettingsDocument,
    "\n  mutation UpdateIntegrationSettings($input: UpdateIntegrationSettingsInput!) {\n    updateIntegrationSettings(input: $input) { ...IntegrationFields }\n  }\n": typeof types.UpdateIntegrationSettingsDocument,
    "\n  mutation TestIntegration { testIntegration { ok provider message models latencyMs } }\n": typeof types.TestIntegrationDocument,
    "\n  mutation TestImageGeneration($input: TestImageGenerationInput) {\n    testImageGeneration(input: $input) { ok provider model message contentType bytes dataUrl latencyMs }\n  }\n": typeof types.TestImageGenerationDocument,
    "\n  query Prompts { prompts { function template isCustom defaultTemplate placeholders updatedAt } }\n": typeof types.PromptsDocument,
    "\n  mutation SavePrompt($input: SavePromptInput!) {\n    savePrompt(input: $input) { function template isCustom defaultTemplate placeholders updatedAt }\n  }\n": typeof types.SavePromptDocument,
    "\n  mutation ResetPrompt($input: ResetPromptInput!) {\n    resetPrompt(input: $input) { function template isCustom defaultTemplate placeholders updatedAt }\n  }\n": typeof types.ResetPromptDocument,
    "\n  query AuthorProfiles {\n    authorProfiles(first: 100) { totalCount nodes { id name description tone language createdAt updatedAt } }\n  }\n": typeof types.AuthorProfilesDocument,
    "\n  mutation CreateAuthorProfile($input: CreateAuthorProfileInput!) {\n    createAuthorProfile(input: $input) { id name description tone language createdAt updatedAt }\n  }\n": typeof types.CreateAuthorProfileDocument,
    "\n  mutation UpdateAuthorProfile($input: UpdateAuthorProfileInput!) {\n    updateAuthorProfile(input: $input) { id name description tone language createdAt updatedAt }\n  }\n": typeof types.UpdateAuthorProfileDocument,
    "\n  mutation DeleteAuthorProfile($input: IdInput!) { deleteAuthorProfile(input: $input) }\n": typeof types.DeleteAuthorProfileDocument,
    "\n  fragment StrategyFields on Strategy {\n    id name description sector { id name slug } promptTypes sectionLogic isActive createdAt updatedAt\n  }\n": typeof types.StrategyFieldsFragmentDoc,
    "\n  query Strategies { strategies(first: 100) { totalCount nodes { ...StrategyFields } } }\n": typeof types.StrategiesDocument,
    "\n  mutation CreateStrategy($input: CreateStrategyInput!) { createStrategy(input: $input) { ...StrategyFields } }\n": typeof types.CreateStrategyDocument,
    "\n  mutation UpdateStrategy($input: UpdateStrategyInput!) { updateStrategy(input: $input) { ...StrategyFields } }\n": typeof types.UpdateStrategyDocument,
    "\n  mutation DeleteStrategy($input: IdInput!) { deleteStrategy(input: $input) }\n": typeof types.DeleteStrategyDocument,
    "\n  fragment WordPressFields on WordPressConnection {\n    siteId url username passwordHint status lastCheckedAt lastError hasBridgePlugin webhookPath webhookSecret\n  }\n": typeof types.WordPressFieldsFragmentDoc,
    "\n  query SiteWordPress($id: ID!) { site(id: $id) { id wordpress { ...WordPressFields } } }\n": typeof types.SiteWordPressDocument,
    "\n  mutation ConnectWordPress($input: ConnectWordPressInput!) { connectWordPress(input: $input) { ...WordPressFields } }\n": typeof types.ConnectWordPressDocument,
    "\n  mutation DisconnectWordPress($input: SiteIdInput!) { disconnectWordPress(input: $input) }\n": typeof types.DisconnectWordPressDocument,
    "\n  mutation TestWordPressConnection($input: SiteIdInput!) { testWordPressConnection(input: $input) { ok message } }\n": typeof types.TestWordPressConnectionDocument,
    "\n  mutation PublishContent($input: PublishContentInput!) { publishContent(input: $input) { ...JobFields } }\n": typeof types.PublishContentDocument,
    "\n  mutation SyncWordPress($input: SiteIdInput!) { syncWordPress(input: $input) { ...JobFields } }\n": typeof types.SyncWordPressDocument,
    "\n  fragment AutomationRunFields on AutomationRun {\n    id siteId status stage stageNumber pauseReason message trigger creditsSpent creditCap currentJobId\n    nextBatchAt seq createdAt finishedAt\n    stages { stage number status itemsIn done skipped failed remaining percent creditsSpent jobs\n      issues { itemId outcome message } }\n  }\n": typeof types.AutomationRunFieldsFragmentDoc,
    "\n  query AutomationPage($siteId: ID!) {\n    automationOverview(siteId: $siteId) {\n      siteId estimatedCredits creditsAvailable\n      stages { stage number enabled pending estimatedCredits }\n      activeRun { ...AutomationRunFields }\n    }\n    automationConfig(siteId: $siteId) {\n      siteId enabled publishMode publishingAvailable publishDelayMinutes creditCap imagesPerArticle delaySeconds\n      updatedAt\n      stages { stage number enabled batchSize maxBatchSize }\n      schedule { frequency cron timeZone nextRunAt }\n    }\n    automationRuns(siteId: $siteId, first: 10) { totalCount nodes { ...AutomationRunFields } }\n    automationRules(siteId: $siteId) {\n      id name enabled trigger minPending actionStage maxExecutionsPerDay creditLimitPerExecution executionsToday\n      executions { id outcome message createdAt runId }\n    }\n  }\n": typeof types.AutomationPageDocument,
    "\n  mutation StartAutomationRun($input: StartAutomationRunInput!) { startAutomationRun(input: $input) { ...AutomationRunFields } }\n": typeof types.StartAutomationRunDocument,
    "\n  mutation PauseAutomationRun($input: AutomationRunInput!) { pauseAutomationRun(input: $input) { ...AutomationRunFields } }\n": typeof types.PauseAutomationRunDocument,
    "\n  mutation ResumeAutomationRun($input: AutomationRunInput!) { resumeAutomationRun(input: $input) { ...AutomationRunFields } }\n": typeof types.ResumeAutomationRunDocument,
    "\n  mutation CancelAutomationRun($input: AutomationRunInput!) { cancelAutomationRun(input: $input) { ...AutomationRunFields } }\n": typeof types.CancelAutomationRunDocument,
    "\n  mutation UpdateAutomationConfig($input: UpdateAutomationConfigInput!) {\n    updateAutomationConfig(input: $input) {\n      siteId enabled publishMode publishingAvailable publishDelayMinutes creditCap imagesPerArticle delaySeconds updatedAt\n      stages { stage number enabled batchSize maxBatchSize }\n      schedule { frequency cron timeZone nextRunAt }\n    }\n  }\n": typeof types.UpdateAutomationConfigDocument,
    "\n  subscription AutomationRunProgress($runId: ID!) {\n    automationRunProgress(runId: $runId) {\n      runId seq stagePercent\n      run { ...AutomationRunFields }\n      currentJob { jobId seq phase percent message }\n    }\n  }\n": typeof types.AutomationRunProgressDocument,
    "\n  mutation CreateAutomationRule($input: CreateAutomationRuleInput!) { createAutomationRule(input: $input) { id } }\n": typeof types.CreateAutomationRuleDocument,
    "\n  mutation UpdateAutomationRule($input: UpdateAutomationRuleInput!) { updateAutomationRule(input: $input) { id enabled } }\n": typeof types.UpdateAutomationRuleDocument,
    "\n  mutation DeleteAutomationRule($input: IdInput!) { deleteAutomationRule(input: $input) }\n": typeof types.DeleteAutomationRuleDocument,
    "\n  query Billing($from: DateTime, $to: DateTime) {\n    account {\n      id credits planCredits purchasedCredits creditsHeld creditsAvailable periodEndsAt\n      plan { id slug name monthlyCredits priceCents currency billingCycle }\n      limits { limit max usage }\n    }\n    usage(from: $from, to: $to, groupBy: DAY) {\n      credits\n      points { start credits byFunction { function credits } }\n    }\n    plans { id slug name monthlyCredits priceCents currency billingCycle limits { limit max } }\n  }\n": typeof types.BillingDocument,
    "\n  query AdminAccounts($search: String, $first: Int, $offset: Int) {\n    adminAccounts(search: $search, first: $first, offset: $offset) {\n      totalCount\n      edges {\n        node {\n          id name slug status ownerEmail credits planCredits purchasedCredits creditsHeld periodEndsAt\n          plan { id slug name }\n          usage { creditsThisPeriod creditsTotal sites users }\n        }\n      }\n    }\n    plans { id slug name }\n  }\n": typeof types.AdminAccountsDocument,
    "\n  mutation AdminAdjustCredits($input: AdminAdjustCreditsInput!) {\n    adminAdjustCredits(input: $input) { account { id credits planCredits purchasedCredits } transaction { id amount } }\n  }\n": typeof types.AdminAdjustCreditsDocument,
    "\n  mutation AdminSetPlan($input: AdminSetPlanInput!) { adminSetPlan(input: $input) { account { id plan { id slug name } } } }\n": typeof types.AdminSetPlanDocument,
    "\n  mutation AdminSetAccountStatus($input: AdminSetAccountStatusInput!) { adminSetAccountStatus(input: $input) { account { id status } } }\n": typeof types.AdminSetAccountStatusDocument,
    "\n  query AdminAuditLog($accountId: ID, $first: Int, $offset: Int) {\n    adminAuditLog(accountId: $accountId, first: $first, offset: $offset) {\n      totalCount\n      edges { node { id accountId actorEmail action reason before after createdAt } }\n    }\n  }\n": typeof types.AdminAuditLogDocument,
};
const documents: Documents = {
    "\n  fragment AuthFields on AuthPayload {\n    accessToken\n    refreshToken\n    expiresIn\n    user { id email }\n  }\n": types.AuthFieldsFragmentDoc,
    "\n  mutation Signup($input: SignupInput!) { signup(input: $input) { ...AuthFields } }\n": types.SignupDocument,
    "\n  mutation Login($input: LoginInput!) { login(input: $input) { ...AuthFields } }\n": types.LoginDocument,
    "\n  mutation Logout($input: LogoutInput!) { logout(input: $input) }\n": types.LogoutDocument,
    "\n  mutation VerifyEmail($input: VerifyEmailInput!) { verifyEmail(input: $input) }\n": types.VerifyEmailDocument,
    "\n  mutation RequestPasswordReset($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) }\n": types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) }\n": types.ResetPasswordDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ...AuthFields } }\n": types.AcceptInvitationDocument,
    "\n  query Me {\n    me {\n      id email name role isStaff\n      account { id name status credits creditsHeld creditsAvailable plan { id name monthlyCredits } }\n    }\n  }\n": types.MeDocument,
    "\n  query Sites {\n    sites(first: 100) {\n      totalCount\n      nodes {\n        id name slug domain isActive\n        sectors(first: 20) { totalCount nodes { id name slug isActive } }\n      }\n    }\n  }\n": types.SitesDocument,
    "\n  mutation CreateSite($input: CreateSiteInput!) { createSite(input: $input) { id name slug domain isActive } }\n": types.CreateSiteDocument,
    "\n  mutation UpdateSite($input: UpdateSiteInput!) { updateSite(input: $input) { id name slug domain isActive } }\n": types.UpdateSiteDocument,
    "\n  mutation DeleteSite($input: DeleteInput!) { deleteSite(input: $input) }\n": types.DeleteSiteDocument,
    "\n  mutation CreateSector($input: CreateSectorInput!) { createSector(input: $input) { id name slug isActive } }\n": types.CreateSectorDocument,
    "\n  mutation UpdateSector($input: UpdateSectorInput!) { updateSector(input: $input) { id name slug isActive } }\n": types.UpdateSectorDocument,
    "\n  mutation DeleteSector($input: DeleteInput!) { deleteSector(input: $input) }\n": types.DeleteSectorDocument,
    "\n  query Keywords($filter: KeywordFilter, $orderBy: [KeywordOrder!], $first: Int, $offset: Int) {\n    keywords(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes { id keyword volume difficulty intent status createdAt cluster { id name } }\n    }\n  }\n": types.KeywordsDocument,
    "\n  query ExportKeywords($filter: KeywordFilter, $orderBy: [KeywordOrder!]) {\n    exportKeywordsCsv(filter: $filter, orderBy: $orderBy)\n  }\n": types.ExportKeywordsDocument,
    "\n  mutation CreateKeyword($input: CreateKeywordInput!) { createKeyword(input: $input) { id keyword } }\n": types.CreateKeywordDocument,
    "\n  mutation ImportKeywords($input: ImportKeywordsInput!) {\n    importKeywords(input: $input) { created skipped errors { line message } ignoredColumns delimiter encoding }\n  }\n": types.ImportKeywordsDocument,
    "\n  mutation BulkDeleteKeywords($input: IdsInput!) { bulkDeleteKeywords(input: $input) }\n": types.BulkDeleteKeywordsDocument,
    "\n  mutation BulkKeywordStatus($input: BulkUpdateKeywordStatusInput!) { bulkUpdateKeywordStatus(input: $input) }\n": types.BulkKeywordStatusDocument,
    "\n  query Industries { industries { id name sectors { id name } } }\n": types.IndustriesDocument,
    "\n  query SectorIndustry($id: ID!) {\n    sector(id: $id) {\n      id name\n      industrySector { id industry { id } }\n      site { id industry { id } }\n    }\n  }\n": types.SectorIndustryDocument,
    "\n  query SeedKeywords($filter: SeedKeywordFilter, $first: Int, $offset: Int) {\n    seedKeywords(filter: $filter, first: $first, offset: $offset) {\n      totalCount\n      nodes { id keyword volume difficulty intent industrySector { id name } }\n    }\n  }\n": types.SeedKeywordsDocument,
    "\n  query SectorKeywordTexts($sectorId: ID!, $first: Int, $offset: Int) {\n    keywords(filter: { sectorId: $sectorId }, first: $first, offset: $offset) {\n      totalCount\n      nodes { id keyword }\n    }\n  }\n": types.SectorKeywordTextsDocument,
    "\n  mutation AddSeedKeywords($input: AddSeedKeywordsInput!) { addSeedKeywords(input: $input) { created skipped } }\n": types.AddSeedKeywordsDocument,
    "\n  fragment JobFields on AiJob {\n    id kind function status phase percent itemsDone itemsTotal message error seq\n    creditsHeld creditsCharged result createdAt startedAt finishedAt\n    itemsSucceeded itemsFailed itemsCancelled items { id status error note }\n  }\n": types.JobFieldsFragmentDoc,
    "\n  mutation AutoCluster($input: AutoClusterKeywordsInput!) { autoClusterKeywords(input: $input) { ...JobFields } }\n": types.AutoClusterDocument,
    "\n  mutation GenerateIdeas($input: GenerateIdeasInput!) { generateIdeas(input: $input) { ...JobFields } }\n": types.GenerateIdeasDocument,
    "\n  mutation GenerateContent($input: GenerateContentInput!) { generateContent(input: $input) { ...JobFields } }\n": types.GenerateContentDocument,
    "\n  mutation GenerateImagePrompts($input: GenerateImagePromptsInput!) { generateImagePrompts(input: $input) { ...JobFields } }\n": types.GenerateImagePromptsDocument,
    "\n  mutation GenerateImages($input: GenerateImagesInput!) { generateImages(input: $input) { ...JobFields } }\n": types.GenerateImagesDocument,
    "\n  mutation CancelJob($input: CancelJobInput!) { cancelJob(input: $input) { ...JobFields } }\n": types.CancelJobDocument,
    "\n  query Jobs($filter: JobFilter, $first: Int, $offset: Int) {\n    jobs(filter: $filter, first: $first, offset: $offset) { totalCount nodes { ...JobFields } }\n  }\n": types.JobsDocument,
    "\n  subscription AccountJobs {\n    accountJobs {\n      jobId seq kind function status phase percent itemsDone itemsTotal message error\n      itemsSucceeded itemsFailed itemsCancelled items { id status error note }\n    }\n  }\n": types.AccountJobsDocument,
    "\n  mutation RetryFailedItems($input: RetryFailedItemsInput!) { retryFailedItems(input: $input) { ...JobFields } }\n": types.RetryFailedItemsDocument,
    "\n  query Clusters($filter: ClusterFilter, $orderBy: [ClusterOrder!], $first: Int, $offset: Int) {\n    clusters(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes {\n        id name description status keywordsCount volume createdAt\n        ideas(first: 1) { totalCount }\n      }\n    }\n  }\n": types.ClustersDocument,
    "\n  query ClusterKeywords($id: ID!) {\n    cluster(id: $id) {\n      id name\n      keywords(first: 200, orderBy: [{ field: VOLUME, direction: DESC }]) { totalCount nodes { id keyword volume difficulty } }\n    }\n  }\n": types.ClusterKeywordsDocument,
    "\n  mutation CreateCluster($input: CreateClusterInput!) { createCluster(input: $input) { id name } }\n": types.CreateClusterDocument,
    "\n  mutation UpdateCluster($input: UpdateClusterInput!) { updateCluster(input: $input) { id name description status } }\n": types.UpdateClusterDocument,
    "\n  mutation DeleteCluster($input: IdInput!) { deleteCluster(input: $input) }\n": types.DeleteClusterDocument,
    "\n  mutation AddKeywordsToCluster($input: ClusterKeywordsInput!) { addKeywordsToCluster(input: $input) { id keywordsCount volume } }\n": types.AddKeywordsToClusterDocument,
    "\n  mutation RemoveKeywordsFromCluster($input: ClusterKeywordsInput!) { removeKeywordsFromCluster(input: $input) { id keywordsCount volume } }\n": types.RemoveKeywordsFromClusterDocument,
    "\n  query Ideas($filter: IdeaFilter, $orderBy: [IdeaOrder!], $first: Int, $offset: Int) {\n    ideas(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes {\n        id title description contentType contentStructure estimatedWordCount status targetKeywords\n        outline { sections { heading level notes targetKeywords } }\n        cluster { id name }\n        task { id }\n      }\n    }\n  }\n": types.IdeasDocument,
    "\n  mutation QueueIdeas($input: QueueIdeasToWriterInput!) { queueIdeasToWriter(input: $input) { id title status } }\n": types.QueueIdeasDocument,
    "\n  mutation DeleteIdea($input: IdInput!) { deleteIdea(input: $input) }\n": types.DeleteIdeaDocument,
    "\n  query Tasks($filter: TaskFilter, $orderBy: [TaskOrder!], $first: Int, $offset: Int) {\n    tasks(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes {\n        id title status contentType contentStructure targetKeywords createdAt\n        cluster { id name }\n        content { id wordCount status }\n      }\n    }\n  }\n": types.TasksDocument,
    "\n  mutation BulkTaskStatus($input: BulkUpdateTaskStatusInput!) { bulkUpdateTaskStatus(input: $input) }\n": types.BulkTaskStatusDocument,
    "\n  mutation BulkDeleteTasks($input: IdsInput!) { bulkDeleteTasks(input: $input) }\n": types.BulkDeleteTasksDocument,
    "\n  query Contents($filter: ContentFilter, $orderBy: [ContentOrder!], $first: Int, $offset: Int) {\n    contents(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes {\n        id wordCount status metaTitle primaryKeyword updatedAt\n        task { id title }\n        images(first: 1) { totalCount }\n        publishing { wpPostId wpUrl wpStatus changedInWordPress lastError }\n      }\n    }\n  }\n": types.ContentsDocument,
    "\n  query Content($id: ID!) {\n    content(id: $id) {\n      id html wordCount status metaTitle metaDescription primaryKeyword secondaryKeywords wpPostId updatedAt\n      publishing { wpPostId wpUrl wpStatus publishedAt changedInWordPress lastError }\n      task { id title }\n      images(first: 20, orderBy: [{ field: POSITION, direction: ASC }]) {\n        totalCount\n        nodes { id imageType prompt url status position }\n      }\n    }\n  }\n": types.ContentDocument,
    "\n  mutation UpdateContent($input: UpdateContentInput!) {\n    updateContent(input: $input) {\n      id html wordCount status metaTitle metaDescription primaryKeyword secondaryKeywords updatedAt\n    }\n  }\n": types.UpdateContentDocument,
    "\n  query Images($filter: ImageFilter, $orderBy: [ImageOrder!], $first: Int, $offset: Int) {\n    images(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes { id imageType prompt url status position content { id metaTitle } task { id title } }\n    }\n  }\n": types.ImagesDocument,
    "\n  query CreditTransactions($filter: CreditHistoryFilter, $first: Int, $offset: Int) {\n    creditTransactions(filter: $filter, first: $first, offset: $offset) {\n      totalCount\n      nodes { id kind amount balanceAfter description reference createdAt }\n    }\n  }\n": types.CreditTransactionsDocument,
    "\n  query CreditUsage($filter: CreditHistoryFilter, $first: Int, $offset: Int) {\n    creditUsage(filter: $filter, first: $first, offset: $offset) {\n      totalCount\n      nodes { id jobId operation credits model tokensIn tokensOut costUsd relatedType createdAt }\n    }\n    creditUsageTotals(filter: $filter) {\n      credits jobs\n      byOperation { operation credits jobs }\n      bySite { siteId credits jobs }\n    }\n  }\n": types.CreditUsageDocument,
    "\n  query Users {\n    users(first: 100) {\n      totalCount\n      nodes { id email name role isActive grantedSites { id name } }\n    }\n  }\n": types.UsersDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { id email role } }\n": types.CreateUserDocument,
    "\n  mutation UpdateUserRole($input: UpdateUserRoleInput!) { updateUserRole(input: $input) { id role } }\n": types.UpdateUserRoleDocument,
    "\n  mutation GrantSiteAccess($input: SiteAccessInput!) { grantSiteAccess(input: $input) { id grantedSites { id name } } }\n": types.GrantSiteAccessDocument,
    "\n  mutation RevokeSiteAccess($input: SiteAccessInput!) { revokeSiteAccess(input: $input) { id grantedSites { id name } } }\n": types.RevokeSiteAccessDocument,
    "\n  mutation RemoveUser($input: RemoveUserInput!) { removeUser(input: $input) }\n": types.RemoveUserDocument,
    "\n  query Job($id: ID!) { job(id: $id) { ...JobFields } }\n": types.JobDocument,
    "\n  fragment IntegrationFields on IntegrationSettings {\n    textProvider imageProvider textProviderOverride imageProviderOverride\n    openaiBaseUrl openaiBaseUrlOverride\n    openaiKey { source hint }\n    runwareKey { source hint }\n    models { function model isOverride }\n    updatedAt\n  }\n": types.IntegrationFieldsFragmentDoc,
    "\n  query IntegrationSettings { integrationSettings { ...IntegrationFields } }\n": types.IntegrationSettingsDocument,
    "\n  mutation UpdateIntegrationSettings($input: UpdateIntegrationSettingsInput!) {\n    updateIntegrationSettings(input: $input) { ...IntegrationFields }\n  }\n": types.UpdateIntegrationSettingsDocument,
    "\n  mutation TestIntegration { testIntegration { ok provider message models latencyMs } }\n": types.TestIntegrationDocument,
    "\n  mutation TestImageGeneration($input: TestImageGenerationInput) {\n    testImageGeneration(input: $input) { ok provider model message contentType bytes dataUrl latencyMs }\n  }\n": types.TestImageGenerationDocument,
    "\n  query Prompts { prompts { function template isCustom defaultTemplate placeholders updatedAt } }\n": types.PromptsDocument,
    "\n  mutation SavePrompt($input: SavePromptInput!) {\n    savePrompt(input: $input) { function template isCustom defaultTemplate placeholders updatedAt }\n  }\n": types.SavePromptDocument,
    "\n  mutation ResetPrompt($input: ResetPromptInput!) {\n    resetPrompt(input: $input) { function template isCustom defaultTemplate placeholders updatedAt }\n  }\n": types.ResetPromptDocument,
    "\n  query AuthorProfiles {\n    authorProfiles(first: 100) { totalCount nodes { id name description tone language createdAt updatedAt } }\n  }\n": types.AuthorProfilesDocument,
    "\n  mutation CreateAuthorProfile($input: CreateAuthorProfileInput!) {\n    createAuthorProfile(input: $input) { id name description tone language createdAt updatedAt }\n  }\n": types.CreateAuthorProfileDocument,
    "\n  mutation UpdateAuthorProfile($input: UpdateAuthorProfileInput!) {\n    updateAuthorProfile(input: $input) { id name description tone language createdAt updatedAt }\n  }\n": types.UpdateAuthorProfileDocument,
    "\n  mutation DeleteAuthorProfile($input: IdInput!) { deleteAuthorProfile(input: $input) }\n": types.DeleteAuthorProfileDocument,
    "\n  fragment StrategyFields on Strategy {\n    id name description sector { id name slug } promptTypes sectionLogic isActive createdAt updatedAt\n  }\n": types.StrategyFieldsFragmentDoc,
    "\n  query Strategies { strategies(first: 100) { totalCount nodes { ...StrategyFields } } }\n": types.StrategiesDocument,
    "\n  mutation CreateStrategy($input: CreateStrategyInput!) { createStrategy(input: $input) { ...StrategyFields } }\n": types.CreateStrategyDocument,
    "\n  mutation UpdateStrategy($input: UpdateStrategyInput!) { updateStrategy(input: $input) { ...StrategyFields } }\n": types.UpdateStrategyDocument,
    "\n  mutation DeleteStrategy($input: IdInput!) { deleteStrategy(input: $input) }\n": types.DeleteStrategyDocument,
    "\n  fragment WordPressFields on WordPressConnection {\n    siteId url username passwordHint status lastCheckedAt lastError hasBridgePlugin webhookPath webhookSecret\n  }\n": types.WordPressFieldsFragmentDoc,
    "\n  query SiteWordPress($id: ID!) { site(id: $id) { id wordpress { ...WordPressFields } } }\n": types.SiteWordPressDocument,
    "\n  mutation ConnectWordPress($input: ConnectWordPressInput!) { connectWordPress(input: $input) { ...WordPressFields } }\n": types.ConnectWordPressDocument,
    "\n  mutation DisconnectWordPress($input: SiteIdInput!) { disconnectWordPress(input: $input) }\n": types.DisconnectWordPressDocument,
    "\n  mutation TestWordPressConnection($input: SiteIdInput!) { testWordPressConnection(input: $input) { ok message } }\n": types.TestWordPressConnectionDocument,
    "\n  mutation PublishContent($input: PublishContentInput!) { publishContent(input: $input) { ...JobFields } }\n": types.PublishContentDocument,
    "\n  mutation SyncWordPress($input: SiteIdInput!) { syncWordPress(input: $input) { ...JobFields } }\n": types.SyncWordPressDocument,
    "\n  fragment AutomationRunFields on AutomationRun {\n    id siteId status stage stageNumber pauseReason message trigger creditsSpent creditCap currentJobId\n    nextBatchAt seq createdAt finishedAt\n    stages { stage number status itemsIn done skipped failed remaining percent creditsSpent jobs\n      issues { itemId outcome message } }\n  }\n": types.AutomationRunFieldsFragmentDoc,
    "\n  query AutomationPage($siteId: ID!) {\n    automationOverview(siteId: $siteId) {\n      siteId estimatedCredits creditsAvailable\n      stages { stage number enabled pending estimatedCredits }\n      activeRun { ...AutomationRunFields }\n    }\n    automationConfig(siteId: $siteId) {\n      siteId enabled publishMode publishingAvailable publishDelayMinutes creditCap imagesPerArticle delaySeconds\n      updatedAt\n      stages { stage number enabled batchSize maxBatchSize }\n      schedule { frequency cron timeZone nextRunAt }\n    }\n    automationRuns(siteId: $siteId, first: 10) { totalCount nodes { ...AutomationRunFields } }\n    automationRules(siteId: $siteId) {\n      id name enabled trigger minPending actionStage maxExecutionsPerDay creditLimitPerExecution executionsToday\n      executions { id outcome message createdAt runId }\n    }\n  }\n": types.AutomationPageDocument,
    "\n  mutation StartAutomationRun($input: StartAutomationRunInput!) { startAutomationRun(input: $input) { ...AutomationRunFields } }\n": types.StartAutomationRunDocument,
    "\n  mutation PauseAutomationRun($input: AutomationRunInput!) { pauseAutomationRun(input: $input) { ...AutomationRunFields } }\n": types.PauseAutomationRunDocument,
    "\n  mutation ResumeAutomationRun($input: AutomationRunInput!) { resumeAutomationRun(input: $input) { ...AutomationRunFields } }\n": types.ResumeAutomationRunDocument,
    "\n  mutation CancelAutomationRun($input: AutomationRunInput!) { cancelAutomationRun(input: $input) { ...AutomationRunFields } }\n": types.CancelAutomationRunDocument,
    "\n  mutation UpdateAutomationConfig($input: UpdateAutomationConfigInput!) {\n    updateAutomationConfig(input: $input) {\n      siteId enabled publishMode publishingAvailable publishDelayMinutes creditCap imagesPerArticle delaySeconds updatedAt\n      stages { stage number enabled batchSize maxBatchSize }\n      schedule { frequency cron timeZone nextRunAt }\n    }\n  }\n": types.UpdateAutomationConfigDocument,
    "\n  subscription AutomationRunProgress($runId: ID!) {\n    automationRunProgress(runId: $runId) {\n      runId seq stagePercent\n      run { ...AutomationRunFields }\n      currentJob { jobId seq phase percent message }\n    }\n  }\n": types.AutomationRunProgressDocument,
    "\n  mutation CreateAutomationRule($input: CreateAutomationRuleInput!) { createAutomationRule(input: $input) { id } }\n": types.CreateAutomationRuleDocument,
    "\n  mutation UpdateAutomationRule($input: UpdateAutomationRuleInput!) { updateAutomationRule(input: $input) { id enabled } }\n": types.UpdateAutomationRuleDocument,
    "\n  mutation DeleteAutomationRule($input: IdInput!) { deleteAutomationRule(input: $input) }\n": types.DeleteAutomationRuleDocument,
    "\n  query Billing($from: DateTime, $to: DateTime) {\n    account {\n      id credits planCredits purchasedCredits creditsHeld creditsAvailable periodEndsAt\n      plan { id slug name monthlyCredits priceCents currency billingCycle }\n      limits { limit max usage }\n    }\n    usage(from: $from, to: $to, groupBy: DAY) {\n      credits\n      points { start credits byFunction { function credits } }\n    }\n    plans { id slug name monthlyCredits priceCents currency billingCycle limits { limit max } }\n  }\n": types.BillingDocument,
    "\n  query AdminAccounts($search: String, $first: Int, $offset: Int) {\n    adminAccounts(search: $search, first: $first, offset: $offset) {\n      totalCount\n      edges {\n        node {\n          id name slug status ownerEmail credits planCredits purchasedCredits creditsHeld periodEndsAt\n          plan { id slug name }\n          usage { creditsThisPeriod creditsTotal sites users }\n        }\n      }\n    }\n    plans { id slug name }\n  }\n": types.AdminAccountsDocument,
    "\n  mutation AdminAdjustCredits($input: AdminAdjustCreditsInput!) {\n    adminAdjustCredits(input: $input) { account { id credits planCredits purchasedCredits } transaction { id amount } }\n  }\n": types.AdminAdjustCreditsDocument,
    "\n  mutation AdminSetPlan($input: AdminSetPlanInput!) { adminSetPlan(input: $input) { account { id plan { id slug name } } } }\n": types.AdminSetPlanDocument,
    "\n  mutation AdminSetAccountStatus($input: AdminSetAccountStatusInput!) { adminSetAccountStatus(input: $input) { account { id status } } }\n": types.AdminSetAccountStatusDocument,
    "\n  query AdminAuditLog($accountId: ID, $first: Int, $offset: Int) {\n    adminAuditLog(accountId: $accountId, first: $first, offset: $offset) {\n      totalCount\n      edges { node { id accountId actorEmail action reason before after createdAt } }\n    }\n  }\n": types.AdminAuditLogDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuthFields on AuthPayload {\n    accessToken\n    refreshToken\n    expiresIn\n    user { id email }\n  }\n"): (typeof documents)["\n  fragment AuthFields on AuthPayload {\n    accessToken\n    refreshToken\n    expiresIn\n    user { id email }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Signup($input: SignupInput!) { signup(input: $input) { ...AuthFields } }\n"): (typeof documents)["\n  mutation Signup($input: SignupInput!) { signup(input: $input) { ...AuthFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($input: LoginInput!) { login(input: $input) { ...AuthFields } }\n"): (typeof documents)["\n  mutation Login($input: LoginInput!) { login(input: $input) { ...AuthFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout($input: LogoutInput!) { logout(input: $input) }\n"): (typeof documents)["\n  mutation Logout($input: LogoutInput!) { logout(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyEmail($input: VerifyEmailInput!) { verifyEmail(input: $input) }\n"): (typeof documents)["\n  mutation VerifyEmail($input: VerifyEmailInput!) { verifyEmail(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestPasswordReset($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) }\n"): (typeof documents)["\n  mutation RequestPasswordReset($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) }\n"): (typeof documents)["\n  mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ...AuthFields } }\n"): (typeof documents)["\n  mutation AcceptInvitation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ...AuthFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id email name role isStaff\n      account { id name status credits creditsHeld creditsAvailable plan { id name monthlyCredits } }\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id email name role isStaff\n      account { id name status credits creditsHeld creditsAvailable plan { id name monthlyCredits } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sites {\n    sites(first: 100) {\n      totalCount\n      nodes {\n        id name slug domain isActive\n        sectors(first: 20) { totalCount nodes { id name slug isActive } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Sites {\n    sites(first: 100) {\n      totalCount\n      nodes {\n        id name slug domain isActive\n        sectors(first: 20) { totalCount nodes { id name slug isActive } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSite($input: CreateSiteInput!) { createSite(input: $input) { id name slug domain isActive } }\n"): (typeof documents)["\n  mutation CreateSite($input: CreateSiteInput!) { createSite(input: $input) { id name slug domain isActive } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSite($input: UpdateSiteInput!) { updateSite(input: $input) { id name slug domain isActive } }\n"): (typeof documents)["\n  mutation UpdateSite($input: UpdateSiteInput!) { updateSite(input: $input) { id name slug domain isActive } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSite($input: DeleteInput!) { deleteSite(input: $input) }\n"): (typeof documents)["\n  mutation DeleteSite($input: DeleteInput!) { deleteSite(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSector($input: CreateSectorInput!) { createSector(input: $input) { id name slug isActive } }\n"): (typeof documents)["\n  mutation CreateSector($input: CreateSectorInput!) { createSector(input: $input) { id name slug isActive } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSector($input: UpdateSectorInput!) { updateSector(input: $input) { id name slug isActive } }\n"): (typeof documents)["\n  mutation UpdateSector($input: UpdateSectorInput!) { updateSector(input: $input) { id name slug isActive } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSector($input: DeleteInput!) { deleteSector(input: $input) }\n"): (typeof documents)["\n  mutation DeleteSector($input: DeleteInput!) { deleteSector(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Keywords($filter: KeywordFilter, $orderBy: [KeywordOrder!], $first: Int, $offset: Int) {\n    keywords(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes { id keyword volume difficulty intent status createdAt cluster { id name } }\n    }\n  }\n"): (typeof documents)["\n  query Keywords($filter: KeywordFilter, $orderBy: [KeywordOrder!], $first: Int, $offset: Int) {\n    keywords(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes { id keyword volume difficulty intent status createdAt cluster { id name } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportKeywords($filter: KeywordFilter, $orderBy: [KeywordOrder!]) {\n    exportKeywordsCsv(filter: $filter, orderBy: $orderBy)\n  }\n"): (typeof documents)["\n  query ExportKeywords($filter: KeywordFilter, $orderBy: [KeywordOrder!]) {\n    exportKeywordsCsv(filter: $filter, orderBy: $orderBy)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateKeyword($input: CreateKeywordInput!) { createKeyword(input: $input) { id keyword } }\n"): (typeof documents)["\n  mutation CreateKeyword($input: CreateKeywordInput!) { createKeyword(input: $input) { id keyword } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportKeywords($input: ImportKeywordsInput!) {\n    importKeywords(input: $input) { created skipped errors { line message } ignoredColumns delimiter encoding }\n  }\n"): (typeof documents)["\n  mutation ImportKeywords($input: ImportKeywordsInput!) {\n    importKeywords(input: $input) { created skipped errors { line message } ignoredColumns delimiter encoding }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BulkDeleteKeywords($input: IdsInput!) { bulkDeleteKeywords(input: $input) }\n"): (typeof documents)["\n  mutation BulkDeleteKeywords($input: IdsInput!) { bulkDeleteKeywords(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BulkKeywordStatus($input: BulkUpdateKeywordStatusInput!) { bulkUpdateKeywordStatus(input: $input) }\n"): (typeof documents)["\n  mutation BulkKeywordStatus($input: BulkUpdateKeywordStatusInput!) { bulkUpdateKeywordStatus(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Industries { industries { id name sectors { id name } } }\n"): (typeof documents)["\n  query Industries { industries { id name sectors { id name } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SectorIndustry($id: ID!) {\n    sector(id: $id) {\n      id name\n      industrySector { id industry { id } }\n      site { id industry { id } }\n    }\n  }\n"): (typeof documents)["\n  query SectorIndustry($id: ID!) {\n    sector(id: $id) {\n      id name\n      industrySector { id industry { id } }\n      site { id industry { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SeedKeywords($filter: SeedKeywordFilter, $first: Int, $offset: Int) {\n    seedKeywords(filter: $filter, first: $first, offset: $offset) {\n      totalCount\n      nodes { id keyword volume difficulty intent industrySector { id name } }\n    }\n  }\n"): (typeof documents)["\n  query SeedKeywords($filter: SeedKeywordFilter, $first: Int, $offset: Int) {\n    seedKeywords(filter: $filter, first: $first, offset: $offset) {\n      totalCount\n      nodes { id keyword volume difficulty intent industrySector { id name } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SectorKeywordTexts($sectorId: ID!, $first: Int, $offset: Int) {\n    keywords(filter: { sectorId: $sectorId }, first: $first, offset: $offset) {\n      totalCount\n      nodes { id keyword }\n    }\n  }\n"): (typeof documents)["\n  query SectorKeywordTexts($sectorId: ID!, $first: Int, $offset: Int) {\n    keywords(filter: { sectorId: $sectorId }, first: $first, offset: $offset) {\n      totalCount\n      nodes { id keyword }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddSeedKeywords($input: AddSeedKeywordsInput!) { addSeedKeywords(input: $input) { created skipped } }\n"): (typeof documents)["\n  mutation AddSeedKeywords($input: AddSeedKeywordsInput!) { addSeedKeywords(input: $input) { created skipped } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobFields on AiJob {\n    id kind function status phase percent itemsDone itemsTotal message error seq\n    creditsHeld creditsCharged result createdAt startedAt finishedAt\n    itemsSucceeded itemsFailed itemsCancelled items { id status error note }\n  }\n"): (typeof documents)["\n  fragment JobFields on AiJob {\n    id kind function status phase percent itemsDone itemsTotal message error seq\n    creditsHeld creditsCharged result createdAt startedAt finishedAt\n    itemsSucceeded itemsFailed itemsCancelled items { id status error note }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AutoCluster($input: AutoClusterKeywordsInput!) { autoClusterKeywords(input: $input) { ...JobFields } }\n"): (typeof documents)["\n  mutation AutoCluster($input: AutoClusterKeywordsInput!) { autoClusterKeywords(input: $input) { ...JobFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GenerateIdeas($input: GenerateIdeasInput!) { generateIdeas(input: $input) { ...JobFields } }\n"): (typeof documents)["\n  mutation GenerateIdeas($input: GenerateIdeasInput!) { generateIdeas(input: $input) { ...JobFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GenerateContent($input: GenerateContentInput!) { generateContent(input: $input) { ...JobFields } }\n"): (typeof documents)["\n  mutation GenerateContent($input: GenerateContentInput!) { generateContent(input: $input) { ...JobFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GenerateImagePrompts($input: GenerateImagePromptsInput!) { generateImagePrompts(input: $input) { ...JobFields } }\n"): (typeof documents)["\n  mutation GenerateImagePrompts($input: GenerateImagePromptsInput!) { generateImagePrompts(input: $input) { ...JobFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GenerateImages($input: GenerateImagesInput!) { generateImages(input: $input) { ...JobFields } }\n"): (typeof documents)["\n  mutation GenerateImages($input: GenerateImagesInput!) { generateImages(input: $input) { ...JobFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelJob($input: CancelJobInput!) { cancelJob(input: $input) { ...JobFields } }\n"): (typeof documents)["\n  mutation CancelJob($input: CancelJobInput!) { cancelJob(input: $input) { ...JobFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Jobs($filter: JobFilter, $first: Int, $offset: Int) {\n    jobs(filter: $filter, first: $first, offset: $offset) { totalCount nodes { ...JobFields } }\n  }\n"): (typeof documents)["\n  query Jobs($filter: JobFilter, $first: Int, $offset: Int) {\n    jobs(filter: $filter, first: $first, offset: $offset) { totalCount nodes { ...JobFields } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AccountJobs {\n    accountJobs {\n      jobId seq kind function status phase percent itemsDone itemsTotal message error\n      itemsSucceeded itemsFailed itemsCancelled items { id status error note }\n    }\n  }\n"): (typeof documents)["\n  subscription AccountJobs {\n    accountJobs {\n      jobId seq kind function status phase percent itemsDone itemsTotal message error\n      itemsSucceeded itemsFailed itemsCancelled items { id status error note }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryFailedItems($input: RetryFailedItemsInput!) { retryFailedItems(input: $input) { ...JobFields } }\n"): (typeof documents)["\n  mutation RetryFailedItems($input: RetryFailedItemsInput!) { retryFailedItems(input: $input) { ...JobFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Clusters($filter: ClusterFilter, $orderBy: [ClusterOrder!], $first: Int, $offset: Int) {\n    clusters(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes {\n        id name description status keywordsCount volume createdAt\n        ideas(first: 1) { totalCount }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Clusters($filter: ClusterFilter, $orderBy: [ClusterOrder!], $first: Int, $offset: Int) {\n    clusters(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes {\n        id name description status keywordsCount volume createdAt\n        ideas(first: 1) { totalCount }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClusterKeywords($id: ID!) {\n    cluster(id: $id) {\n      id name\n      keywords(first: 200, orderBy: [{ field: VOLUME, direction: DESC }]) { totalCount nodes { id keyword volume difficulty } }\n    }\n  }\n"): (typeof documents)["\n  query ClusterKeywords($id: ID!) {\n    cluster(id: $id) {\n      id name\n      keywords(first: 200, orderBy: [{ field: VOLUME, direction: DESC }]) { totalCount nodes { id keyword volume difficulty } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCluster($input: CreateClusterInput!) { createCluster(input: $input) { id name } }\n"): (typeof documents)["\n  mutation CreateCluster($input: CreateClusterInput!) { createCluster(input: $input) { id name } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateCluster($input: UpdateClusterInput!) { updateCluster(input: $input) { id name description status } }\n"): (typeof documents)["\n  mutation UpdateCluster($input: UpdateClusterInput!) { updateCluster(input: $input) { id name description status } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteCluster($input: IdInput!) { deleteCluster(input: $input) }\n"): (typeof documents)["\n  mutation DeleteCluster($input: IdInput!) { deleteCluster(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddKeywordsToCluster($input: ClusterKeywordsInput!) { addKeywordsToCluster(input: $input) { id keywordsCount volume } }\n"): (typeof documents)["\n  mutation AddKeywordsToCluster($input: ClusterKeywordsInput!) { addKeywordsToCluster(input: $input) { id keywordsCount volume } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveKeywordsFromCluster($input: ClusterKeywordsInput!) { removeKeywordsFromCluster(input: $input) { id keywordsCount volume } }\n"): (typeof documents)["\n  mutation RemoveKeywordsFromCluster($input: ClusterKeywordsInput!) { removeKeywordsFromCluster(input: $input) { id keywordsCount volume } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Ideas($filter: IdeaFilter, $orderBy: [IdeaOrder!], $first: Int, $offset: Int) {\n    ideas(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes {\n        id title description contentType contentStructure estimatedWordCount status targetKeywords\n        outline { sections { heading level notes targetKeywords } }\n        cluster { id name }\n        task { id }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Ideas($filter: IdeaFilter, $orderBy: [IdeaOrder!], $first: Int, $offset: Int) {\n    ideas(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes {\n        id title description contentType contentStructure estimatedWordCount status targetKeywords\n        outline { sections { heading level notes targetKeywords } }\n        cluster { id name }\n        task { id }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QueueIdeas($input: QueueIdeasToWriterInput!) { queueIdeasToWriter(input: $input) { id title status } }\n"): (typeof documents)["\n  mutation QueueIdeas($input: QueueIdeasToWriterInput!) { queueIdeasToWriter(input: $input) { id title status } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteIdea($input: IdInput!) { deleteIdea(input: $input) }\n"): (typeof documents)["\n  mutation DeleteIdea($input: IdInput!) { deleteIdea(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Tasks($filter: TaskFilter, $orderBy: [TaskOrder!], $first: Int, $offset: Int) {\n    tasks(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes {\n        id title status contentType contentStructure targetKeywords createdAt\n        cluster { id name }\n        content { id wordCount status }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Tasks($filter: TaskFilter, $orderBy: [TaskOrder!], $first: Int, $offset: Int) {\n    tasks(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes {\n        id title status contentType contentStructure targetKeywords createdAt\n        cluster { id name }\n        content { id wordCount status }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BulkTaskStatus($input: BulkUpdateTaskStatusInput!) { bulkUpdateTaskStatus(input: $input) }\n"): (typeof documents)["\n  mutation BulkTaskStatus($input: BulkUpdateTaskStatusInput!) { bulkUpdateTaskStatus(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BulkDeleteTasks($input: IdsInput!) { bulkDeleteTasks(input: $input) }\n"): (typeof documents)["\n  mutation BulkDeleteTasks($input: IdsInput!) { bulkDeleteTasks(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Contents($filter: ContentFilter, $orderBy: [ContentOrder!], $first: Int, $offset: Int) {\n    contents(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes {\n        id wordCount status metaTitle primaryKeyword updatedAt\n        task { id title }\n        images(first: 1) { totalCount }\n        publishing { wpPostId wpUrl wpStatus changedInWordPress lastError }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Contents($filter: ContentFilter, $orderBy: [ContentOrder!], $first: Int, $offset: Int) {\n    contents(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes {\n        id wordCount status metaTitle primaryKeyword updatedAt\n        task { id title }\n        images(first: 1) { totalCount }\n        publishing { wpPostId wpUrl wpStatus changedInWordPress lastError }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Content($id: ID!) {\n    content(id: $id) {\n      id html wordCount status metaTitle metaDescription primaryKeyword secondaryKeywords wpPostId updatedAt\n      publishing { wpPostId wpUrl wpStatus publishedAt changedInWordPress lastError }\n      task { id title }\n      images(first: 20, orderBy: [{ field: POSITION, direction: ASC }]) {\n        totalCount\n        nodes { id imageType prompt url status position }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Content($id: ID!) {\n    content(id: $id) {\n      id html wordCount status metaTitle metaDescription primaryKeyword secondaryKeywords wpPostId updatedAt\n      publishing { wpPostId wpUrl wpStatus publishedAt changedInWordPress lastError }\n      task { id title }\n      images(first: 20, orderBy: [{ field: POSITION, direction: ASC }]) {\n        totalCount\n        nodes { id imageType prompt url status position }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateContent($input: UpdateContentInput!) {\n    updateContent(input: $input) {\n      id html wordCount status metaTitle metaDescription primaryKeyword secondaryKeywords updatedAt\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateContent($input: UpdateContentInput!) {\n    updateContent(input: $input) {\n      id html wordCount status metaTitle metaDescription primaryKeyword secondaryKeywords updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Images($filter: ImageFilter, $orderBy: [ImageOrder!], $first: Int, $offset: Int) {\n    images(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes { id imageType prompt url status position content { id metaTitle } task { id title } }\n    }\n  }\n"): (typeof documents)["\n  query Images($filter: ImageFilter, $orderBy: [ImageOrder!], $first: Int, $offset: Int) {\n    images(filter: $filter, orderBy: $orderBy, first: $first, offset: $offset) {\n      totalCount\n      nodes { id imageType prompt url status position content { id metaTitle } task { id title } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CreditTransactions($filter: CreditHistoryFilter, $first: Int, $offset: Int) {\n    creditTransactions(filter: $filter, first: $first, offset: $offset) {\n      totalCount\n      nodes { id kind amount balanceAfter description reference createdAt }\n    }\n  }\n"): (typeof documents)["\n  query CreditTransactions($filter: CreditHistoryFilter, $first: Int, $offset: Int) {\n    creditTransactions(filter: $filter, first: $first, offset: $offset) {\n      totalCount\n      nodes { id kind amount balanceAfter description reference createdAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CreditUsage($filter: CreditHistoryFilter, $first: Int, $offset: Int) {\n    creditUsage(filter: $filter, first: $first, offset: $offset) {\n      totalCount\n      nodes { id jobId operation credits model tokensIn tokensOut costUsd relatedType createdAt }\n    }\n    creditUsageTotals(filter: $filter) {\n      credits jobs\n      byOperation { operation credits jobs }\n      bySite { siteId credits jobs }\n    }\n  }\n"): (typeof documents)["\n  query CreditUsage($filter: CreditHistoryFilter, $first: Int, $offset: Int) {\n    creditUsage(filter: $filter, first: $first, offset: $offset) {\n      totalCount\n      nodes { id jobId operation credits model tokensIn tokensOut costUsd relatedType createdAt }\n    }\n    creditUsageTotals(filter: $filter) {\n      credits jobs\n      byOperation { operation credits jobs }\n      bySite { siteId credits jobs }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users {\n    users(first: 100) {\n      totalCount\n      nodes { id email name role isActive grantedSites { id name } }\n    }\n  }\n"): (typeof documents)["\n  query Users {\n    users(first: 100) {\n      totalCount\n      nodes { id email name role isActive grantedSites { id name } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { id email role } }\n"): (typeof documents)["\n  mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { id email role } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateUserRole($input: UpdateUserRoleInput!) { updateUserRole(input: $input) { id role } }\n"): (typeof documents)["\n  mutation UpdateUserRole($input: UpdateUserRoleInput!) { updateUserRole(input: $input) { id role } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GrantSiteAccess($input: SiteAccessInput!) { grantSiteAccess(input: $input) { id grantedSites { id name } } }\n"): (typeof documents)["\n  mutation GrantSiteAccess($input: SiteAccessInput!) { grantSiteAccess(input: $input) { id grantedSites { id name } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSiteAccess($input: SiteAccessInput!) { revokeSiteAccess(input: $input) { id grantedSites { id name } } }\n"): (typeof documents)["\n  mutation RevokeSiteAccess($input: SiteAccessInput!) { revokeSiteAccess(input: $input) { id grantedSites { id name } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveUser($input: RemoveUserInput!) { removeUser(input: $input) }\n"): (typeof documents)["\n  mutation RemoveUser($input: RemoveUserInput!) { removeUser(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Job($id: ID!) { job(id: $id) { ...JobFields } }\n"): (typeof documents)["\n  query Job($id: ID!) { job(id: $id) { ...JobFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment IntegrationFields on IntegrationSettings {\n    textProvider imageProvider textProviderOverride imageProviderOverride\n    openaiBaseUrl openaiBaseUrlOverride\n    openaiKey { source hint }\n    runwareKey { source hint }\n    models { function model isOverride }\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment IntegrationFields on IntegrationSettings {\n    textProvider imageProvider textProviderOverride imageProviderOverride\n    openaiBaseUrl openaiBaseUrlOverride\n    openaiKey { source hint }\n    runwareKey { source hint }\n    models { function model isOverride }\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IntegrationSettings { integrationSettings { ...IntegrationFields } }\n"): (typeof documents)["\n  query IntegrationSettings { integrationSettings { ...IntegrationFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateIntegrationSettings($input: UpdateIntegrationSettingsInput!) {\n    updateIntegrationSettings(input: $input) { ...IntegrationFields }\n  }\n"): (typeof documents)["\n  mutation UpdateIntegrationSettings($input: UpdateIntegrationSettingsInput!) {\n    updateIntegrationSettings(input: $input) { ...IntegrationFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestIntegration { testIntegration { ok provider message models latencyMs } }\n"): (typeof documents)["\n  mutation TestIntegration { testIntegration { ok provider message models latencyMs } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestImageGeneration($input: TestImageGenerationInput) {\n    testImageGeneration(input: $input) { ok provider model message contentType bytes dataUrl latencyMs }\n  }\n"): (typeof documents)["\n  mutation TestImageGeneration($input: TestImageGenerationInput) {\n    testImageGeneration(input: $input) { ok provider model message contentType bytes dataUrl latencyMs }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Prompts { prompts { function template isCustom defaultTemplate placeholders updatedAt } }\n"): (typeof documents)["\n  query Prompts { prompts { function template isCustom defaultTemplate placeholders updatedAt } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SavePrompt($input: SavePromptInput!) {\n    savePrompt(input: $input) { function template isCustom defaultTemplate placeholders updatedAt }\n  }\n"): (typeof documents)["\n  mutation SavePrompt($input: SavePromptInput!) {\n    savePrompt(input: $input) { function template isCustom defaultTemplate placeholders updatedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPrompt($input: ResetPromptInput!) {\n    resetPrompt(input: $input) { function template isCustom defaultTemplate placeholders updatedAt }\n  }\n"): (typeof documents)["\n  mutation ResetPrompt($input: ResetPromptInput!) {\n    resetPrompt(input: $input) { function template isCustom defaultTemplate placeholders updatedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthorProfiles {\n    authorProfiles(first: 100) { totalCount nodes { id name description tone language createdAt updatedAt } }\n  }\n"): (typeof documents)["\n  query AuthorProfiles {\n    authorProfiles(first: 100) { totalCount nodes { id name description tone language createdAt updatedAt } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateAuthorProfile($input: CreateAuthorProfileInput!) {\n    createAuthorProfile(input: $input) { id name description tone language createdAt updatedAt }\n  }\n"): (typeof documents)["\n  mutation CreateAuthorProfile($input: CreateAuthorProfileInput!) {\n    createAuthorProfile(input: $input) { id name description tone language createdAt updatedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAuthorProfile($input: UpdateAuthorProfileInput!) {\n    updateAuthorProfile(input: $input) { id name description tone language createdAt updatedAt }\n  }\n"): (typeof documents)["\n  mutation UpdateAuthorProfile($input: UpdateAuthorProfileInput!) {\n    updateAuthorProfile(input: $input) { id name description tone language createdAt updatedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAuthorProfile($input: IdInput!) { deleteAuthorProfile(input: $input) }\n"): (typeof documents)["\n  mutation DeleteAuthorProfile($input: IdInput!) { deleteAuthorProfile(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StrategyFields on Strategy {\n    id name description sector { id name slug } promptTypes sectionLogic isActive createdAt updatedAt\n  }\n"): (typeof documents)["\n  fragment StrategyFields on Strategy {\n    id name description sector { id name slug } promptTypes sectionLogic isActive createdAt updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Strategies { strategies(first: 100) { totalCount nodes { ...StrategyFields } } }\n"): (typeof documents)["\n  query Strategies { strategies(first: 100) { totalCount nodes { ...StrategyFields } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateStrategy($input: CreateStrategyInput!) { createStrategy(input: $input) { ...StrategyFields } }\n"): (typeof documents)["\n  mutation CreateStrategy($input: CreateStrategyInput!) { createStrategy(input: $input) { ...StrategyFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateStrategy($input: UpdateStrategyInput!) { updateStrategy(input: $input) { ...StrategyFields } }\n"): (typeof documents)["\n  mutation UpdateStrategy($input: UpdateStrategyInput!) { updateStrategy(input: $input) { ...StrategyFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteStrategy($input: IdInput!) { deleteStrategy(input: $input) }\n"): (typeof documents)["\n  mutation DeleteStrategy($input: IdInput!) { deleteStrategy(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WordPressFields on WordPressConnection {\n    siteId url username passwordHint status lastCheckedAt lastError hasBridgePlugin webhookPath webhookSecret\n  }\n"): (typeof documents)["\n  fragment WordPressFields on WordPressConnection {\n    siteId url username passwordHint status lastCheckedAt lastError hasBridgePlugin webhookPath webhookSecret\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SiteWordPress($id: ID!) { site(id: $id) { id wordpress { ...WordPressFields } } }\n"): (typeof documents)["\n  query SiteWordPress($id: ID!) { site(id: $id) { id wordpress { ...WordPressFields } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConnectWordPress($input: ConnectWordPressInput!) { connectWordPress(input: $input) { ...WordPressFields } }\n"): (typeof documents)["\n  mutation ConnectWordPress($input: ConnectWordPressInput!) { connectWordPress(input: $input) { ...WordPressFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisconnectWordPress($input: SiteIdInput!) { disconnectWordPress(input: $input) }\n"): (typeof documents)["\n  mutation DisconnectWordPress($input: SiteIdInput!) { disconnectWordPress(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestWordPressConnection($input: SiteIdInput!) { testWordPressConnection(input: $input) { ok message } }\n"): (typeof documents)["\n  mutation TestWordPressConnection($input: SiteIdInput!) { testWordPressConnection(input: $input) { ok message } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PublishContent($input: PublishContentInput!) { publishContent(input: $input) { ...JobFields } }\n"): (typeof documents)["\n  mutation PublishContent($input: PublishContentInput!) { publishContent(input: $input) { ...JobFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SyncWordPress($input: SiteIdInput!) { syncWordPress(input: $input) { ...JobFields } }\n"): (typeof documents)["\n  mutation SyncWordPress($input: SiteIdInput!) { syncWordPress(input: $input) { ...JobFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AutomationRunFields on AutomationRun {\n    id siteId status stage stageNumber pauseReason message trigger creditsSpent creditCap currentJobId\n    nextBatchAt seq createdAt finishedAt\n    stages { stage number status itemsIn done skipped failed remaining percent creditsSpent jobs\n      issues { itemId outcome message } }\n  }\n"): (typeof documents)["\n  fragment AutomationRunFields on AutomationRun {\n    id siteId status stage stageNumber pauseReason message trigger creditsSpent creditCap currentJobId\n    nextBatchAt seq createdAt finishedAt\n    stages { stage number status itemsIn done skipped failed remaining percent creditsSpent jobs\n      issues { itemId outcome message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AutomationPage($siteId: ID!) {\n    automationOverview(siteId: $siteId) {\n      siteId estimatedCredits creditsAvailable\n      stages { stage number enabled pending estimatedCredits }\n      activeRun { ...AutomationRunFields }\n    }\n    automationConfig(siteId: $siteId) {\n      siteId enabled publishMode publishingAvailable publishDelayMinutes creditCap imagesPerArticle delaySeconds\n      updatedAt\n      stages { stage number enabled batchSize maxBatchSize }\n      schedule { frequency cron timeZone nextRunAt }\n    }\n    automationRuns(siteId: $siteId, first: 10) { totalCount nodes { ...AutomationRunFields } }\n    automationRules(siteId: $siteId) {\n      id name enabled trigger minPending actionStage maxExecutionsPerDay creditLimitPerExecution executionsToday\n      executions { id outcome message createdAt runId }\n    }\n  }\n"): (typeof documents)["\n  query AutomationPage($siteId: ID!) {\n    automationOverview(siteId: $siteId) {\n      siteId estimatedCredits creditsAvailable\n      stages { stage number enabled pending estimatedCredits }\n      activeRun { ...AutomationRunFields }\n    }\n    automationConfig(siteId: $siteId) {\n      siteId enabled publishMode publishingAvailable publishDelayMinutes creditCap imagesPerArticle delaySeconds\n      updatedAt\n      stages { stage number enabled batchSize maxBatchSize }\n      schedule { frequency cron timeZone nextRunAt }\n    }\n    automationRuns(siteId: $siteId, first: 10) { totalCount nodes { ...AutomationRunFields } }\n    automationRules(siteId: $siteId) {\n      id name enabled trigger minPending actionStage maxExecutionsPerDay creditLimitPerExecution executionsToday\n      executions { id outcome message createdAt runId }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartAutomationRun($input: StartAutomationRunInput!) { startAutomationRun(input: $input) { ...AutomationRunFields } }\n"): (typeof documents)["\n  mutation StartAutomationRun($input: StartAutomationRunInput!) { startAutomationRun(input: $input) { ...AutomationRunFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PauseAutomationRun($input: AutomationRunInput!) { pauseAutomationRun(input: $input) { ...AutomationRunFields } }\n"): (typeof documents)["\n  mutation PauseAutomationRun($input: AutomationRunInput!) { pauseAutomationRun(input: $input) { ...AutomationRunFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeAutomationRun($input: AutomationRunInput!) { resumeAutomationRun(input: $input) { ...AutomationRunFields } }\n"): (typeof documents)["\n  mutation ResumeAutomationRun($input: AutomationRunInput!) { resumeAutomationRun(input: $input) { ...AutomationRunFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelAutomationRun($input: AutomationRunInput!) { cancelAutomationRun(input: $input) { ...AutomationRunFields } }\n"): (typeof documents)["\n  mutation CancelAutomationRun($input: AutomationRunInput!) { cancelAutomationRun(input: $input) { ...AutomationRunFields } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAutomationConfig($input: UpdateAutomationConfigInput!) {\n    updateAutomationConfig(input: $input) {\n      siteId enabled publishMode publishingAvailable publishDelayMinutes creditCap imagesPerArticle delaySeconds updatedAt\n      stages { stage number enabled batchSize maxBatchSize }\n      schedule { frequency cron timeZone nextRunAt }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateAutomationConfig($input: UpdateAutomationConfigInput!) {\n    updateAutomationConfig(input: $input) {\n      siteId enabled publishMode publishingAvailable publishDelayMinutes creditCap imagesPerArticle delaySeconds updatedAt\n      stages { stage number enabled batchSize maxBatchSize }\n      schedule { frequency cron timeZone nextRunAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AutomationRunProgress($runId: ID!) {\n    automationRunProgress(runId: $runId) {\n      runId seq stagePercent\n      run { ...AutomationRunFields }\n      currentJob { jobId seq phase percent message }\n    }\n  }\n"): (typeof documents)["\n  subscription AutomationRunProgress($runId: ID!) {\n    automationRunProgress(runId: $runId) {\n      runId seq stagePercent\n      run { ...AutomationRunFields }\n      currentJob { jobId seq phase percent message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateAutomationRule($input: CreateAutomationRuleInput!) { createAutomationRule(input: $input) { id } }\n"): (typeof documents)["\n  mutation CreateAutomationRule($input: CreateAutomationRuleInput!) { createAutomationRule(input: $input) { id } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAutomationRule($input: UpdateAutomationRuleInput!) { updateAutomationRule(input: $input) { id enabled } }\n"): (typeof documents)["\n  mutation UpdateAutomationRule($input: UpdateAutomationRuleInput!) { updateAutomationRule(input: $input) { id enabled } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAutomationRule($input: IdInput!) { deleteAutomationRule(input: $input) }\n"): (typeof documents)["\n  mutation DeleteAutomationRule($input: IdInput!) { deleteAutomationRule(input: $input) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Billing($from: DateTime, $to: DateTime) {\n    account {\n      id credits planCredits purchasedCredits creditsHeld creditsAvailable periodEndsAt\n      plan { id slug name monthlyCredits priceCents currency billingCycle }\n      limits { limit max usage }\n    }\n    usage(from: $from, to: $to, groupBy: DAY) {\n      credits\n      points { start credits byFunction { function credits } }\n    }\n    plans { id slug name monthlyCredits priceCents currency billingCycle limits { limit max } }\n  }\n"): (typeof documents)["\n  query Billing($from: DateTime, $to: DateTime) {\n    account {\n      id credits planCredits purchasedCredits creditsHeld creditsAvailable periodEndsAt\n      plan { id slug name monthlyCredits priceCents currency billingCycle }\n      limits { limit max usage }\n    }\n    usage(from: $from, to: $to, groupBy: DAY) {\n      credits\n      points { start credits byFunction { function credits } }\n    }\n    plans { id slug name monthlyCredits priceCents currency billingCycle limits { limit max } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminAccounts($search: String, $first: Int, $offset: Int) {\n    adminAccounts(search: $search, first: $first, offset: $offset) {\n      totalCount\n      edges {\n        node {\n          id name slug status ownerEmail credits planCredits purchasedCredits creditsHeld periodEndsAt\n          plan { id slug name }\n          usage { creditsThisPeriod creditsTotal sites users }\n        }\n      }\n    }\n    plans { id slug name }\n  }\n"): (typeof documents)["\n  query AdminAccounts($search: String, $first: Int, $offset: Int) {\n    adminAccounts(search: $search, first: $first, offset: $offset) {\n      totalCount\n      edges {\n        node {\n          id name slug status ownerEmail credits planCredits purchasedCredits creditsHeld periodEndsAt\n          plan { id slug name }\n          usage { creditsThisPeriod creditsTotal sites users }\n        }\n      }\n    }\n    plans { id slug name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminAdjustCredits($input: AdminAdjustCreditsInput!) {\n    adminAdjustCredits(input: $input) { account { id credits planCredits purchasedCredits } transaction { id amount } }\n  }\n"): (typeof documents)["\n  mutation AdminAdjustCredits($input: AdminAdjustCreditsInput!) {\n    adminAdjustCredits(input: $input) { account { id credits planCredits purchasedCredits } transaction { id amount } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminSetPlan($input: AdminSetPlanInput!) { adminSetPlan(input: $input) { account { id plan { id slug name } } } }\n"): (typeof documents)["\n  mutation AdminSetPlan($input: AdminSetPlanInput!) { adminSetPlan(input: $input) { account { id plan { id slug name } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminSetAccountStatus($input: AdminSetAccountStatusInput!) { adminSetAccountStatus(input: $input) { account { id status } } }\n"): (typeof documents)["\n  mutation AdminSetAccountStatus($input: AdminSetAccountStatusInput!) { adminSetAccountStatus(input: $input) { account { id status } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminAuditLog($accountId: ID, $first: Int, $offset: Int) {\n    adminAuditLog(accountId: $accountId, first: $first, offset: $offset) {\n      totalCount\n      edges { node { id accountId actorEmail action reason before after createdAt } }\n    }\n  }\n"): (typeof documents)["\n  query AdminAuditLog($accountId: ID, $first: Int, $offset: Int) {\n    adminAuditLog(accountId: $accountId, first: $first, offset: $offset) {\n      totalCount\n      edges { node { id accountId actorEmail action reason before after createdAt } }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;